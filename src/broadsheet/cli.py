"""The ``broadsheet`` console command: Django's management commands, preconfigured."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

# The exit status when a setting is wrong or a service it names does not answer
# (argparse uses 2 for a wrong argument, too).
MISCONFIGURED = 2
# Free bytes below which a disk counts as full: SQLite and the files written need a
# few pages each, and the filesystem keeps some for itself.
FULL_BELOW = 1024 * 1024


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["version"]):
        # Django's answer is its own version alone, which an operator would take for
        # Broadsheet's.
        sys.stdout.write(f"{version_line()}\n")
        return
    try:
        execute_from_command_line(["broadsheet", *args])
    except SystemExit as exc:
        if exc.code:  # refused: a wrong argument, or a CommandError
            take_back_empty_database()
        raise
    except ImproperlyConfigured as exc:
        # A setting's value is wrong (broadsheet/settings.py names it): say so on one
        # line, as for a wrong argument, rather than in a traceback.
        take_back_empty_database()
        fail(str(exc))
    except BrokenPipeError:
        # `broadsheet export wxr | head`: the reader left; stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os._exit(1)
    except Exception as exc:
        message = service_problem(exc)
        take_back_empty_database()
        if message is None:
            raise
        fail(message)


def version_line() -> str:
    """``broadsheet 0.1.0 (Django 5.2.19)``: the release installed, and Django's under it."""
    from importlib.metadata import version

    import django

    return f"broadsheet {version('broadsheet')} (Django {django.get_version()})"


def fail(message: str) -> None:
    sys.stderr.write(f"broadsheet: {' '.join(message.split())}\n")
    sys.exit(MISCONFIGURED)


def service_problem(exc: Exception) -> str | None:
    """What to say when ``exc`` is a failure to reach the database or Redis the settings
    name, or to write to the disk, or the database is not (yet) one this release can use."""
    from django.conf import settings
    from django.db import DatabaseError, OperationalError, connections
    from redis import exceptions as redis

    from broadsheet import outage, upgrade

    if isinstance(exc, OSError) and outage.cannot_store(exc):
        # A write's error names no file; the data folder is where the site writes most.
        if exc.filename:
            return f"cannot write {exc.filename} ({exc.strerror}){disk_state(Path(exc.filename))}."
        return f"cannot write a file ({exc.strerror}){disk_state(settings.DATA_DIR)}."
    if isinstance(exc, DatabaseError | outage.TransactionLost) and outage.cannot_store(exc):
        return (
            f"BROADSHEET_DATABASE_URL: the database {database_where()} takes no writes "
            f"({exc}){database_disk_state()}."
        )
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError) and settings.REDIS_URL:
        return f"BROADSHEET_REDIS_URL: no Redis answers at {address(settings.REDIS_URL)} ({exc})."
    if not isinstance(exc, DatabaseError):
        return None
    # Connecting failed when no connection was ever made (or it was closed after the
    # error, as SQLite's is) and none can be made now; a query's own error is not this.
    if isinstance(exc, OperationalError) and connections["default"].connection is None:
        try:
            connections["default"].ensure_connection()
        except DatabaseError:
            return (
                f"BROADSHEET_DATABASE_URL: cannot open the database {database_where()} "
                f"({exc}){database_disk_state()}."
            )
    # A table or column missing: a new database, or one an older release made.
    return upgrade.behind(database_where())


def take_back_empty_database() -> None:
    """Remove what a failed command made while the database holds no table: the SQLite
    file it made by connecting, the key it generated, and the folders made for them. So
    a command stopped for a mistyped BROADSHEET_DATA_DIR, a site not made yet or a wrong
    argument leaves nothing behind (a database with tables, or a folder holding anything
    else, is kept)."""
    from django.db import DatabaseError, connections

    try:
        from broadsheet import settings as configured

        database = connections["default"]
        made = [*getattr(database, "made", []), *configured.made_for_key]
        if not made or database.introspection.table_names():
            return
    except Exception:  # the settings themselves are wrong: nothing was opened
        return
    with contextlib.suppress(DatabaseError):
        database.close()
    sqlite_file = Path(database.settings_dict["NAME"])
    for path in made:
        names = [f"{path}{suffix}" for suffix in ("-wal", "-shm", "-journal")]
        if path == sqlite_file or not path.is_dir():
            for name in [path, *names] if path == sqlite_file else [path]:
                Path(name).unlink(missing_ok=True)
    # Innermost first; a folder holding anything else stays.
    for folder in sorted(made, key=lambda path: len(path.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()


def database_where() -> str:
    """The database the settings name, as an operator finds it: host, port and name, or
    the SQLite file."""
    from django.db import connections

    db = connections["default"].settings_dict
    return f"{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}" if db["HOST"] else str(db["NAME"])


def database_disk_state() -> str:
    """``disk_state`` of an SQLite database's folder (SQLite writes its journal there)."""
    from django.db import connections

    db = connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return disk_state(Path(db["NAME"]).parent)
    return ""


def disk_state(where: Path) -> str:
    """Why the disk holding ``where`` may refuse a write, as a clause to add to a
    message: it is full, mounted read-only, or the folder is not this account's to
    write. Empty when none of these is so (or the folder cannot be looked at)."""
    folder = where if where.is_dir() else where.parent
    try:
        disk = os.statvfs(folder)
    except OSError:
        return ""
    if disk.f_flag & os.ST_RDONLY:
        return f": {folder} is on a disk mounted read-only"
    if disk.f_bavail * disk.f_frsize < FULL_BELOW:
        return f": the disk holding {folder} is full"
    if not os.access(folder, os.W_OK):
        return f": {folder} is not writable by this account"
    return ""


def address(url: str) -> str:
    """``url`` without its user name and password, which do not belong in a log."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc).geturl()


if __name__ == "__main__":
    main()
