"""Persistence: the SQLite store and the data that fills it."""

from .store import Store, current_user

__all__ = ["Store", "current_user"]
