"""Reads of the rectification app, always through access.scope; one module per area."""
