"""Reading what residents write: one place for the words and forms every flow understands."""
