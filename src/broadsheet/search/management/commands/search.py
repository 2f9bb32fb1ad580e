"""``broadsheet search rebuild|check``: the search index from the shell."""

from __future__ import annotations

import sys

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from broadsheet.discussion import indexing as comment_indexing
from broadsheet.discussion import tally
from broadsheet.discussion.models import Comment
from broadsheet.management.speech import SpeakingCommand
from broadsheet.newsroom import indexing
from broadsheet.newsroom.models import Article, SearchDocument


class Command(SpeakingCommand):
    help = (
        "Rebuild or check the site search's index, the moderators' comment index and the "
        "queue's stored counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        sub.required = True
        rebuild = sub.add_parser(
            "rebuild",
            help="Index every article and every comment anew (after a restore by hand, or "
            "when `check` finds a fault). Readers can search while it runs; it is one "
            "transaction.",
        )
        rebuild.add_argument(
            "--dry-run", action="store_true", help="Index, report, and keep nothing."
        )
        sub.add_parser(
            "check",
            help="Say whether every article and comment is indexed and the indexes are sound.",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "check":
            self.check_index()
        else:
            self.rebuild(dry_run=options["dry_run"])

    def rebuild(self, *, dry_run: bool) -> None:
        total = Article.objects.count()
        before = SearchDocument.objects.count()
        bar = self.progress(total=total, unit=" articles", file=sys.stderr, leave=False)
        with bar, transaction.atomic():
            written = indexing.rebuild(progress=bar.update)
            comment_indexing.rebuild()
            tally.rebuild()
            if dry_run:
                transaction.set_rollback(True)
        said = "would index" if dry_run else "indexed"
        self.say(
            f"Search index: {_many(total, 'article')} found, {said} {written}; "
            f"{_many(before, 'document')} {'was' if before == 1 else 'were'} there before."
        )
        self.say(f"Comment index: {said} {_many(Comment.objects.count(), 'comment')}.")
        self.say(f"Queue counts: {'would count' if dry_run else 'counted'} {_waiting()}.")

    def check_index(self) -> None:
        problems = indexing.check() + comment_indexing.check() + tally.check()
        if problems:
            raise CommandError(
                "The search index is not sound: "
                + "; ".join(problems)
                + ". Run `broadsheet search rebuild`."
            )
        documents = SearchDocument.objects.count()
        self.say(f"Search index: {_many(documents, 'article')}, sound.")
        self.say(f"Comment index: {_many(Comment.objects.count(), 'comment')}, sound.")
        self.say(f"Queue counts: {_waiting()}, sound.")


def _many(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _waiting() -> str:
    return ", ".join(f"{n} {status}" for status, n in tally.counts().items())
