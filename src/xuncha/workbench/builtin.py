"""The workbench's own entries; every other app registers its own in its ready()."""
