"""The ``broadsheet`` console command: Django's management commands, preconfigured."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["broadsheet", *(sys.argv[1:] if argv is None else argv)])
    except BrokenPipeError:
        # `broadsheet export wxr | head`: the reader left; stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os._exit(1)


if __name__ == "__main__":
    main()
