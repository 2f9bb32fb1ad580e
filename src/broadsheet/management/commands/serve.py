from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import re
import socket
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections

from broadsheet import upgrade
from broadsheet.cli import database_where


def whole_number(least: int, most: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``least`` (to ``most``), else a clear error."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if number < least or (most is not None and number > most):
            bounds = f"from {least} to {most}" if most is not None else f"at least {least}"
            raise argparse.ArgumentTypeError(f"must be {bounds}, not {number}")
        return number

    return parse


def own_site_url(host: str, port: int) -> str | None:
    """The address for the links in e-mails when BROADSHEET_SITE_URL is unset: this
    server's own, ``http://host:port``, where readers reach it at that, a host the site
    answers to with no proxy in front (the demo's 127.0.0.1:8000). Otherwise (0.0.0.0,
    or a proxy's name in BROADSHEET_ALLOWED_HOSTS) the links go to the first allowed
    host, as the settings say (``notifications.links.site_url``)."""
    if settings.BROADSHEET_SITE_URL or settings.BROADSHEET_BEHIND_PROXY:
        return None
    # An IPv6 address is written in brackets in a URL and in ALLOWED_HOSTS (Django
    # matches a Host header's ``[::1]`` so); ``listen_host`` has already bracketed it.
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    if host not in settings.ALLOWED_HOSTS:
        return None
    return f"http://{host}:{port}"


def listen_host(text: str) -> str:
    """An argparse type: the address to listen on, as gunicorn's ``--bind`` takes it.

    An IPv6 address is bracketed (``::1`` or ``[::1]`` both give ``[::1]``): given
    bare, gunicorn read its last colon as the port's and refused it, once the
    migrations had run. A host name or IPv4 address is taken as it is.
    """
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return f"[{ipaddress.IPv6Address(bare)}]"
    except ValueError:
        pass
    if re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?", text):
        return text
    raise argparse.ArgumentTypeError(
        f"{text!r} is not an address to listen on (write 127.0.0.1, 0.0.0.0, ::1 or a host name)"
    )


def taken_by_another(host: str, port: int) -> bool:
    """Whether a server already listens on ``host:port`` (bound as gunicorn binds, with
    SO_REUSEADDR, so that a port a server left a moment ago still counts as free)."""
    bare = host[1:-1] if host.startswith("[") else host
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((bare, port))
        except OSError as exc:
            # Anything else (a name that does not resolve, a port below 1024) is
            # gunicorn's to say, as before.
            return exc.errno == errno.EADDRINUSE
    return False


class Command(BaseCommand):
    help = "Serve the site with gunicorn (several worker processes, static files by WhiteNoise)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", type=listen_host, default="127.0.0.1")
        parser.add_argument("--port", type=whole_number(1, 65535), default=8000)
        parser.add_argument(
            "--workers", type=whole_number(1), default=min(8, 2 * (os.cpu_count() or 1) + 1),
            help="Worker processes (default: 2 per core + 1, at most 8).",
        )  # fmt: skip
        parser.add_argument(
            "--threads", type=whole_number(1), default=4, help="Threads per worker."
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )

    def handle(self, *args, host: str, port: int, workers: int, threads: int, **options) -> None:
        if taken_by_another(host, port):
            # Gunicorn would find it so only after the migrations, and say it in a dozen
            # lines over five seconds of retrying.
            raise ImproperlyConfigured(
                f"{host}:{port} is in use: another server (another `broadsheet serve`?) "
                "listens there. Stop it, or give --port another port."
            )
        self._require_services()
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        elif problem := upgrade.behind(database_where()):
            # Every page would fail on a table or column the database lacks.
            raise ImproperlyConfigured(problem)
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable, "-m", "gunicorn", "broadsheet.wsgi:application",
            "--config", "python:broadsheet.gunicorn_config",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread", "--graceful-timeout", "10",
            # Load Django (and scikit-learn) once; workers share those pages after fork.
            "--preload",
        ]  # fmt: skip
        # -v 0: no access log, nor gunicorn's notes (nor "Broadsheet at …"); its
        # warnings and errors still reach standard error.
        argv += ["--access-logfile", "-"] if options["verbosity"] else ["--log-level", "warning"]
        env = {**os.environ, "BROADSHEET_DATA_DIR": str(settings.DATA_DIR)}
        if own := own_site_url(host, port):
            env["BROADSHEET_SITE_URL"] = own
        connections.close_all()
        # Gunicorn says "Broadsheet at …" once it listens (broadsheet/gunicorn_config.py).
        self.stdout.flush()
        os.execve(sys.executable, argv, env)

    @staticmethod
    def _require_services() -> None:
        """Stop here, not on every request, when the database or Redis does not answer.

        The `broadsheet` command says which setting names the one that failed (cli.py).
        """
        if settings.REDIS_URL:
            cache.get("broadsheet:serve")
        connection.ensure_connection()
        # The key generated into the data dir, read (or made) once here: a key that
        # cannot be read stops the server now, not each request that signs.
        str(settings.SECRET_KEY)
