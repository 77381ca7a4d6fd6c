"""Factories for reviews."""

__all__: list = []
