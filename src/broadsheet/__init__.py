"""Broadsheet: a self-hosted news site with reader discussion."""

__version__ = "0.1.0"
