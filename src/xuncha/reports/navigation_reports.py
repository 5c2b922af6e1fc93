"""Menu entries and to-dos of the reports pages."""
