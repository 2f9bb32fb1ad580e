"""Importing a Disqus export (``broadsheet import disqus FILE``): ``reader`` reads the
file, ``importer`` stores it."""

from broadsheet.interchange.disqus.importer import DisqusImport
from broadsheet.interchange.disqus.reader import survey

__all__ = ["DisqusImport", "survey"]
