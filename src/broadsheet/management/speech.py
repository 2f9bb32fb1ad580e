"""What Broadsheet's own commands print, by Django's ``-v``/``--verbosity``.

``-v 0`` leaves out what a command says of work done well (its summary, "Checking …",
progress bars), as Django's own commands do, so that cron mails the operator only
what went wrong: errors (``CommandError``, the log) and warnings still go to standard
error. A command whose output is its answer (``mail status``, ``moderation status``,
``search check``, an export to standard output) prints it at every verbosity.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm


class SpeakingCommand(BaseCommand):
    verbosity = 1

    def execute(self, *args: Any, **options: Any) -> Any:
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)

    def say(self, message: str, *, to_stderr: bool = False) -> None:
        """``message``, unless ``-v 0``."""
        if self.verbosity > 0:
            (self.stderr if to_stderr else self.stdout).write(message)

    def progress(self, **bar: Any) -> tqdm:
        """A progress bar, on a terminal only (tqdm's ``disable=None``) and not at ``-v 0``."""
        return tqdm(disable=None if self.verbosity > 0 else True, **bar)
