"""Policies for reporting. Filled in by its issue."""

RULES: dict = {}
