"""Factories for applications."""

__all__: list = []
