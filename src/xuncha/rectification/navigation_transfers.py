"""Menu entries and workbench to-dos of the transfers pages."""
