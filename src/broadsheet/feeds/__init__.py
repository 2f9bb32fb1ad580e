"""Atom feeds of the site's articles and of its discussions (read-only, on top)."""
