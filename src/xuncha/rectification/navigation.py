"""Menu entries and to-dos of the rectification pages (each area adds its own module and imports it here)."""
