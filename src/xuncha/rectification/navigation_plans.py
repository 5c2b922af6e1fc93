"""Menu entries and workbench to-dos of the plans pages."""
