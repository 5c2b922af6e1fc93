"""Menu entries and to-dos of the feedback pages."""
