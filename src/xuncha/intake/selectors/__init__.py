"""Reads of the intake app, always within the access policy's scope (one module per area)."""
