"""Menu entries and workbench to-dos of the evaluation pages."""
