"""Menu entries and workbench to-dos of the tasks pages."""
