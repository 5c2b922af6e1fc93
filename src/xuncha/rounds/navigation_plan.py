"""Menu entries and workbench to-dos for this area of the rounds app."""
