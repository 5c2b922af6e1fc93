"""Menu entries and workbench to-dos of the intake portal pages."""
