"""``broadsheet import wxr|disqus|json FILE``: move a site in."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from broadsheet.interchange.jsonbackup import RestoreRefused
from broadsheet.interchange.loading import rebuild_moderation, train_moderation
from broadsheet.interchange.sources import Packed, unpack
from broadsheet.interchange.summary import Summary
from broadsheet.interchange.xmlstream import BrokenFile, Repairs, Source
from broadsheet.management.speech import SpeakingCommand


class Surveyed(Protocol):
    repairs: Repairs


T = TypeVar("T", bound=Surveyed)


class Command(SpeakingCommand):
    help = (
        "Import a WordPress export (wxr), a Disqus export (disqus) or a Broadsheet backup "
        "(json). The file is read through once to check it, then stored in one transaction: "
        "a broken file changes nothing. Running it again updates what it imported before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["wxr", "disqus", "json"])
        parser.add_argument(
            "file",
            nargs="+",
            help="The export file to read: XML, gzip-compressed XML, or a .zip archive of "
            "XML files. wxr: several files of one site are imported together, as one.",
        )
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
        pages = parser.add_mutually_exclusive_group()
        pages.add_argument(
            "--no-pages",
            dest="pages",
            action="store_false",
            help="wxr: leave WordPress pages out, and their comments with them (else each is "
            "an unlisted article: at its own address with its comments, not on the front "
            "page, in sections or in feeds).",
        )
        pages.add_argument(
            "--pages",
            action="store_true",
            help="wxr: import WordPress pages (the default; accepted for older scripts).",
        )
        parser.set_defaults(pages=True)
        parser.add_argument(
            "--uploads",
            metavar="DIR",
            type=Path,
            help="wxr: a copy of the old site's wp-content/uploads folder; the images its "
            "posts and media items name are taken into the library from it, and the posts "
            "made to show them from here (else they still load from the old site).",
        )

    def handle(self, *args, **options) -> None:
        paths = [Path(name) for name in options["file"]]
        for path in paths:
            if path.is_dir():
                raise CommandError(f"{path}: is a directory; give the export file in it")
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        fmt = options["format"]
        uploads = options["uploads"]
        if uploads is not None and fmt != "wxr":
            raise CommandError("--uploads is for wxr: the folder of a WordPress site's images")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"{uploads}: no such folder")
        if len(paths) > 1 and fmt != "wxr":
            raise CommandError(f"import {fmt} reads one file; import each on its own")
        summary = Summary()
        dry_run = options["dry_run"]
        try:
            stored_ids = self._run(fmt, paths, summary, options)
        except BrokenFile as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from None
        except RestoreRefused as exc:
            raise CommandError(f"{exc} Nothing was imported.") from None
        except (KeyError, TypeError, ValueError) as exc:
            if fmt != "json":
                raise
            raise CommandError(
                f"{paths[0]}: a record is not as a backup writes it ({exc!r}). "
                "Nothing was imported."
            ) from None
        if not dry_run and not options["no_train"]:
            if fmt == "json":
                # Decisions and what files taught it: the filter as the backup's site had it.
                rebuild_moderation(summary)
            else:
                train_moderation(summary, stored_ids)
        self.stdout.write(summary.render(dry_run=dry_run, quiet=self.verbosity < 1))

    def _run(self, fmt: str, paths: list[Path], summary: Summary, options: dict) -> list[int]:
        if fmt == "json":
            return self._restore(paths[0], summary, options)
        files = [source for path in paths for source in self._unpacked(path)]
        if fmt == "wxr":
            from broadsheet.interchange.wxr import reader
            from broadsheet.interchange.wxr.importer import WxrImport

            named = len(files) > 1 or files != paths
            surveys = [(str(f), self._surveyed(reader.survey, f, summary, named)) for f in files]
            survey = reader.one_site(surveys)
            with self._progress(survey.posts, "posts") as bar, transaction.atomic():
                job = WxrImport(
                    files,
                    survey,
                    summary=summary,
                    progress=bar.update,
                    # A dry run reserves no ids: it would be the one thing it changed.
                    keep_ids=not options["dry_run"],
                    pages=options["pages"],
                    uploads=options["uploads"],
                    write_files=not options["dry_run"],
                )
                job.run()
                self._finish(options)
            return job.comments.stored_ids
        from broadsheet.interchange import disqus

        if len(files) > 1:
            raise BrokenFile(
                f"{paths[0]} holds {len(files)} XML files; a Disqus export is one: "
                "import each on its own"
            )
        disqus_survey = self._surveyed(disqus.survey, files[0], summary, files != paths)
        with self._progress(disqus_survey.posts, "comments") as bar, transaction.atomic():
            disqus_job = disqus.DisqusImport(
                files[0],
                disqus_survey,
                summary=summary,
                create_missing=options["create_missing"],
                progress=bar.update,
            )
            disqus_job.run()
            self._finish(options)
        return disqus_job.comments.stored_ids

    def _unpacked(self, path: Path) -> list[Source]:
        files = unpack(path)
        # The members of a .zip archive, by their names in it (a gzipped file holds one,
        # under the archive's own name).
        members = [f.member for f in files if isinstance(f, Packed) and f.member]
        if members:
            self.say(f"{path} holds {', '.join(members)}", to_stderr=True)
        return files

    def _surveyed(
        self, survey: Callable[[Source], T], source: Source, summary: Summary, named: bool
    ) -> T:
        """The first, checking pass over one file, which is named in its error and (when
        ``named``: one of several, or inside an archive) in what it says it forgave."""
        self.say(f"Checking {source} ...", to_stderr=True)
        try:
            found = survey(source)
        except BrokenFile as exc:
            raise BrokenFile(f"{source}: {exc}") from None
        for note in found.repairs.notes():
            summary.inform(f"{source}: {note}" if named else note)
        return found

    def _restore(self, path: Path, summary: Summary, options: dict) -> list[int]:
        from broadsheet.interchange import jsonbackup

        self.say(f"Checking {path} ...", to_stderr=True)
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
    def _finish(options: dict) -> None:
        if options["dry_run"]:
            transaction.set_rollback(True)

    def _progress(self, total: int, unit: str) -> tqdm:
        # The summary on stdout says the same in the end.
        return self.progress(total=total, unit=f" {unit}", file=sys.stderr, leave=False)
