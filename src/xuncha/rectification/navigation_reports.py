"""Menu entries and workbench to-dos of the reports pages."""
