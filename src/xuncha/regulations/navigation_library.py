"""Menu entries and to-dos of the library pages."""
