"""Reads of the rounds app, by area; every one goes through access.policy.scope."""
