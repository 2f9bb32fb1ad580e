from __future__ import annotations

from django.apps import AppConfig


class BroadsheetConfig(AppConfig):
    """The site-wide package: templates, static files, commands and deployment checks."""

    name = "broadsheet"

    def ready(self) -> None:
        from broadsheet import checks  # noqa: F401  (registers them)
