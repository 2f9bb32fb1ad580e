"""``broadsheet import wxr|disqus|json FILE``: move a site in."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from broadsheet.interchange.jsonbackup import RestoreRefused
from broadsheet.interchange.loading import rebuild_moderation, train_moderation
from broadsheet.interchange.summary import Summary
from broadsheet.interchange.xmlstream import BrokenFile, Repairs


class Command(BaseCommand):
    help = (
        "Import a WordPress export (wxr), a Disqus export (disqus) or a Broadsheet backup "
        "(json). The file is read through once to check it, then stored in one transaction: "
        "a broken file changes nothing. Running it again updates what it imported before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["wxr", "disqus", "json"])
        parser.add_argument("file", help="The export file to read.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything but commit; print the summary."
        )
        parser.add_argument(
            "--no-train",
            action="store_true",
            help="Do not teach the learned moderation filter from the imported statuses.",
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="disqus: create an article for a thread that matches none (else it is skipped).",
        )
        parser.add_argument(
            "--without-blocks",
            action="store_true",
            help="json: restore everything but the backup's blocks, which are keyed with the "
            "old site's SECRET_KEY (needed when this site's key is another).",
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="wxr: import WordPress pages as articles, with their comments (else they are "
            "skipped, and their comments with them).",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        summary = Summary()
        dry_run = options["dry_run"]
        fmt = options["format"]
        try:
            stored_ids = self._run(fmt, path, summary, options)
        except BrokenFile as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from None
        except RestoreRefused as exc:
            raise CommandError(f"{exc} Nothing was imported.") from None
        except (KeyError, TypeError, ValueError) as exc:
            if fmt != "json":
                raise
            raise CommandError(
                f"{path}: a record is not as a backup writes it ({exc!r}). Nothing was imported."
            ) from None
        if not dry_run and not options["no_train"]:
            if fmt == "json":
                # Decisions and what files taught it: the filter as the backup's site had it.
                rebuild_moderation(summary)
            else:
                train_moderation(summary, stored_ids)
        self.stdout.write(summary.render(dry_run=dry_run))

    def _run(self, fmt: str, path: Path, summary: Summary, options: dict) -> list[int]:
        self.stderr.write(f"Checking {path} ...")
        if fmt == "wxr":
            from broadsheet.interchange.wxr import reader
            from broadsheet.interchange.wxr.importer import WxrImport

            survey = reader.survey(path)
            self._repaired(summary, survey.repairs)
            with self._progress(survey.posts, "posts") as bar, transaction.atomic():
                job = WxrImport(
                    path,
                    survey,
                    summary=summary,
                    progress=bar.update,
                    # A dry run reserves no ids: it would be the one thing it changed.
                    keep_ids=not options["dry_run"],
                    pages=options["pages"],
                )
                job.run()
                self._finish(options)
            return job.comments.stored_ids
        if fmt == "disqus":
            from broadsheet.interchange import disqus

            disqus_survey = disqus.survey(path)
            self._repaired(summary, disqus_survey.repairs)
            with self._progress(disqus_survey.posts, "comments") as bar, transaction.atomic():
                disqus_job = disqus.DisqusImport(
                    path,
                    disqus_survey,
                    summary=summary,
                    create_missing=options["create_missing"],
                    progress=bar.update,
                )
                disqus_job.run()
                self._finish(options)
            return disqus_job.comments.stored_ids
        from broadsheet.interchange import jsonbackup

        backup = jsonbackup.survey(path)
        with self._progress(backup.records, "records") as bar, transaction.atomic():
            restored = jsonbackup.restore(
                path,
                backup,
                summary=summary,
                progress=bar.update,
                without_blocks=options["without_blocks"],
                dry_run=options["dry_run"],
            )
            self._finish(options)
        return restored

    @staticmethod
    def _repaired(summary: Summary, repairs: Repairs) -> None:
        for note in repairs.notes():
            summary.inform(note)

    @staticmethod
    def _finish(options: dict) -> None:
        if options["dry_run"]:
            transaction.set_rollback(True)

    @staticmethod
    def _progress(total: int, unit: str) -> tqdm:
        # Shown on a terminal only; the summary on stdout says the same in the end.
        return tqdm(total=total, unit=f" {unit}", file=sys.stderr, disable=None, leave=False)
