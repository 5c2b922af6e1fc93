"""Menu entries and workbench to-dos of the dashboard pages."""
