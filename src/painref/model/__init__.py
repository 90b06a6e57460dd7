"""Record types and the schema: what a procedure, a drug, a condition and the lexicon are.

The bottom layer: imports nothing else of painref (but `errors`)."""
