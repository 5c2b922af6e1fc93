"""Menu entries and to-dos of the study pages."""
