"""Menu entries and workbench to-dos of the intake complaints pages."""
