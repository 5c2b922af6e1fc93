"""Menu entries of the checklist pages (each area adds its own module and imports it here)."""
