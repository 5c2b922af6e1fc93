"""Menu entries and to-dos of the regulations pages (each area adds its own module and imports it here)."""
