"""Menu entries and to-dos of the reports pages (each area adds its own module and imports it here)."""
