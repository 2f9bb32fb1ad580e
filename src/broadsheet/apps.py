from __future__ import annotations

from django.apps import AppConfig


class BroadsheetConfig(AppConfig):
    """The site-wide package: templates, static files, commands and deployment checks."""

    name = "broadsheet"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from broadsheet import checks  # noqa: F401  (registers them)
        from broadsheet.outage import guard_sqlite_transactions

        connection_created.connect(guard_sqlite_transactions, dispatch_uid="broadsheet.outage")
