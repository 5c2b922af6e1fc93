"""Menu entries and workbench to-dos of the analytics recommendations pages."""
