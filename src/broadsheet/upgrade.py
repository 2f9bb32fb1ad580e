"""Whether the database is the one this release expects: a site made by an older
release (or not made at all) needs `broadsheet migrate` before anything reads it."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


def pending_migrations() -> list[str]:
    """The migrations this release has that the database has not had (``app.name``), in
    the order `migrate` would apply them."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def behind(where: str) -> str | None:
    """What to tell an operator whose database at ``where`` this release cannot use yet
    (None when it is up to date, or cannot be asked)."""
    try:
        pending = pending_migrations()
        made = bool(connection.introspection.table_names())
    except DatabaseError:
        return None
    if not pending:
        return None
    if not made:
        return (
            f"BROADSHEET_DATABASE_URL: the database {where} holds no site yet: run "
            "`broadsheet migrate` to make one, or point BROADSHEET_DATA_DIR or "
            "BROADSHEET_DATABASE_URL at the site's database."
        )
    return (
        f"BROADSHEET_DATABASE_URL: the database {where} was made by an older release "
        f"and lacks {len(pending)} of this release's migrations (the first is "
        f"{pending[0]}): run `broadsheet migrate` once, then start the site."
    )
