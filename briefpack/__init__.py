"""briefpack: briefing packs for ministerial and senior military visits abroad."""

__version__ = "0.1.0"
