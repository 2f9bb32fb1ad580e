"""``broadsheet export wxr|json [-o FILE]``: move a site out, or back it up."""

from __future__ import annotations

import argparse
import os
import re
from contextlib import contextmanager
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import CommandError, CommandParser

from broadsheet.management.speech import SpeakingCommand

# The address the site's e-mails link to: the one readers reach it at.
from broadsheet.notifications.links import site_url


def site_address(text: str) -> str:
    """An argparse type: the site's absolute http(s) address, with nothing after its path."""
    parts = urlsplit(text)
    try:
        port_ok = parts.port != 0  # urlsplit checks the port only when it is read
    except ValueError:
        port_ok = False
    if not (port_ok and parts.scheme in ("http", "https") and parts.hostname) or (
        parts.query or parts.fragment
    ):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a site's address (write https://news.example.org)"
        )
    return text


def time_zone(text: str) -> tzinfo:
    """An argparse type: a WordPress site's time zone, as its Settings > General offers it,
    a tz database name (``Asia/Jerusalem``) or a fixed offset (``UTC+2``, ``UTC-3:30``)."""
    offset = re.fullmatch(r"UTC(?:([+-])(\d{1,2})(?::?(\d{2}))?)?", text.strip())
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        if delta < timedelta(hours=15):
            return timezone(-delta if sign == "-" else delta)
    else:
        try:
            return ZoneInfo(text.strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a time zone (write a name such as Asia/Jerusalem, or UTC+2)"
    )


def comment_id(text: str) -> int:
    """An argparse type: the id a WordPress site will give its next comment."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comment id (write the whole number WordPress will give its "
            "next comment, such as 2)"
        )
    return int(text)


class Command(SpeakingCommand):
    help = (
        "Write the whole site as WordPress WXR 1.2 (wxr) or as a Broadsheet JSON backup (json), "
        "to standard output or to -o FILE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["wxr", "json"])
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--base-url",
            type=site_address,
            help="wxr: the site's address, for links and wp:base_site_url "
            "(default: BROADSHEET_SITE_URL, else http://<first BROADSHEET_ALLOWED_HOSTS entry>).",
        )
        parser.add_argument(
            "--visible-only",
            action="store_true",
            help="wxr: only the comments readers can see (approved), as for Disqus, which "
            "would show what it is given; a reply whose parent is left out moves to the top.",
        )
        parser.add_argument(
            "--time-zone",
            type=time_zone,
            help="wxr: the time zone of the WordPress site that will import the file (its "
            "Settings > General), in which post and comment times are written: WordPress "
            "shows them as written (default: BROADSHEET_TIME_ZONE).",
        )
        parser.add_argument(
            "--first-comment-id",
            type=comment_id,
            help="wxr: the id the WordPress site that will import the file gives its next "
            "comment (2 on a new WordPress): the comments are numbered from it in the order "
            "WordPress's importer stores them, so that the ids it gives are the file's and "
            "quotes' links to #comment-N find the comment quoted.",
        )

    def handle(self, *args, **options) -> None:
        fmt = options["format"]
        if options["visible_only"] and fmt != "wxr":
            raise CommandError("--visible-only is for wxr: a backup holds everything")
        if options["time_zone"] and fmt != "wxr":
            raise CommandError("--time-zone is for wxr: a backup's times are in UTC")
        if options["base_url"] and fmt != "wxr":
            raise CommandError("--base-url is for wxr: a backup holds no links to the site")
        if options["first_comment_id"] and fmt != "wxr":
            raise CommandError("--first-comment-id is for wxr: a backup keeps every id")
        with self._open(options["output"]) as out:
            if fmt == "wxr":
                from broadsheet.interchange.wxr import writer

                try:
                    counts = writer.write(
                        out,
                        base_url=options["base_url"] or site_url(),
                        visible_only=options["visible_only"],
                        time_zone=options["time_zone"],
                        first_comment_id=options["first_comment_id"],
                    )
                except writer.SiteChanged as error:
                    raise CommandError(str(error)) from error
            else:
                from broadsheet.interchange import jsonbackup

                counts = jsonbackup.write(out)
        # A section's name and its count ("former slugs: 0"), whatever the number.
        summary = ", ".join(f"{kind.replace('_', ' ')}: {n}" for kind, n in counts.items())
        self.say(f"Exported {summary}.", to_stderr=True)

    @contextmanager
    def _open(self, output: str | None):
        if not output or output == "-":
            yield _Unterminated(self.stdout)
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        # Found before the site is read: the rename at the end would fail only
        # once the whole export had been written.
        if path.is_dir():
            raise CommandError(f"{path}: is a directory; name the file to write in it")
        # Written beside the target and renamed over it: a failed export never
        # leaves half a backup where a whole one was.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as fh:
                yield fh
            os.replace(partial, path)
        finally:
            if partial.exists():
                partial.unlink()


class _Unterminated:
    """Django's stdout wrapper adds a newline to every write; exports write their own."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)
