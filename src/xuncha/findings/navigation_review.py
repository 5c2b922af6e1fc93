"""Menu entries and to-dos of the review pages."""
