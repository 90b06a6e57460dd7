"""Reading, validating and merging the data files, and the compiled SQLite store.

Imports `model` only."""
