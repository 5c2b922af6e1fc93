"""Menu entries and to-dos of the papers pages."""
