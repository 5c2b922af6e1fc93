"""Menu entries and to-dos of the evidence pages."""
