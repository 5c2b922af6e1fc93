"""Menu entries of the findings pages (each area adds its own module and imports it here)."""
