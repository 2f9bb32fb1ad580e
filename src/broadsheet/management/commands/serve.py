from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with gunicorn (several worker processes, static files by WhiteNoise)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=min(8, 2 * (os.cpu_count() or 1) + 1),
            help="Worker processes (default: 2 per core + 1, at most 8).",
        )  # fmt: skip
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker.")
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )

    def handle(self, *args, host: str, port: int, workers: int, threads: int, **options) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Broadsheet at http://{host}:{port}/ ({workers} workers)")
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "broadsheet.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread", "--access-logfile", "-", "--graceful-timeout", "10",
            # Load Django (and scikit-learn) once; workers share those pages after fork.
            "--preload",
        ]  # fmt: skip
        env = {**os.environ, "BROADSHEET_DATA_DIR": str(settings.DATA_DIR)}
        os.execve(sys.executable, argv, env)
