"""Menu entries and to-dos of the compare pages."""
