"""Navigation entries and workbench to-dos of this app."""
