"""Navigation entries and workbench to-dos of the rounds app."""
