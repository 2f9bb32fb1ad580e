"""``broadsheet mail send|status``: the outbox (reply e-mails, moderators' notices and
digests), from the shell or cron."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import CommandParser
from django.db.models import Count, Min
from django.utils import timezone

from broadsheet.management.speech import SpeakingCommand
from broadsheet.notifications import outbox
from broadsheet.notifications.models import Message

Status = Message.Status


class Command(SpeakingCommand):
    help = "Send the e-mails waiting in the outbox, or say what it holds."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        send = sub.add_parser(
            "send",
            help="Send every queued e-mail that is due, moderators' digests included "
            "(run it from cron every few minutes).",
        )
        send.add_argument(
            "--retry-now",
            action="store_true",
            help="Also those still pausing after a failed attempt (once the SMTP server is "
            "back); a digest not yet due still waits.",
        )
        send.add_argument(
            "--dry-run", action="store_true", help="Say how many would be tried; send nothing."
        )
        sub.add_parser("status", help="Count the outbox's e-mails by state.")

    def handle(self, *args, action: str, **options) -> None:
        if action == "status":
            self._status()
        else:
            self._send(retry_now=options["retry_now"], dry_run=options["dry_run"])

    def _send(self, *, retry_now: bool, dry_run: bool) -> None:
        queued = Message.objects.filter(status=Status.QUEUED)
        due = queued.filter(outbox.is_due(timezone.now(), retry_now=retry_now))
        if dry_run:
            self.say(f"Would try {due.count()} of {queued.count()} queued e-mails.")
            return
        total: Counter[str] = Counter()
        while True:
            counts = outbox.send_due(retry_now=retry_now)
            total.update(counts)
            # A batch that sent nothing new (the server is down, or nothing was due) ends it.
            if not counts["sent"] and not counts["dropped"]:
                break
        waiting = Message.objects.filter(status=Status.QUEUED).count()
        self.say(
            f"Sent {total['sent']}, failed {total['failed']} (to be tried again), "
            f"gave up {total['given up']}, dropped {total['dropped']} (no longer wanted); "
            f"{waiting} still queued."
        )

    def _status(self) -> None:
        rows = Message.objects.values("status", "kind").annotate(n=Count("id")).order_by()
        counts = {(r["status"], r["kind"]): r["n"] for r in rows}
        width = max(len(kind.label) for kind in Message.Kind)
        for status in Status:
            for kind in Message.Kind:
                self.stdout.write(
                    f"{status.label:<9} {kind.label:<{width}} {counts.get((status, kind), 0)}"
                )
        oldest = Message.objects.filter(status=Status.QUEUED).aggregate(t=Min("created_at"))["t"]
        if oldest is not None:
            self.stdout.write(f"Oldest queued: {oldest.isoformat(timespec='seconds')}")
