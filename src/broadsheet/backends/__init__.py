"""Database backends of our own (Django finds one by its module path, ``ENGINE``)."""
