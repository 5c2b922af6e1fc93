"""Menu entries and to-dos of the problems pages."""
