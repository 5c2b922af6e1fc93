"""Menu entries and workbench to-dos of the analytics clusters pages."""
