"""Views: each function returns a block of styled lines (`styled.py`); only `console.py` writes."""
