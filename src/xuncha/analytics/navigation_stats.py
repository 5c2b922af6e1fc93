"""Menu entries and workbench to-dos of the analytics stats pages."""
