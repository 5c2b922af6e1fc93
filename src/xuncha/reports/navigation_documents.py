"""Menu entries and to-dos of the documents pages."""
