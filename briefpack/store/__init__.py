"""Persistence: the SQLite store and the data that fills it."""

from .store import Store, current_user

#: the kind of import (as the audit log names it) of a packet exported from the same store;
#: here, not in packets.py, so that reading a store's kind does not load the packet reader
OWN_PACKET = "packet from this store"

__all__ = ["OWN_PACKET", "Store", "current_user"]
