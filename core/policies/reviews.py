"""Policies for reviews. Filled in by its issue."""

RULES: dict = {}
