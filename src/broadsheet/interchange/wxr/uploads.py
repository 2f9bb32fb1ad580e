"""A WordPress site's images brought into the library from a copy of its uploads folder
(``broadsheet import wxr --uploads DIR``).

WordPress posts name their images at the old site's address
(``https://old.example/wp-content/uploads/2019/04/photo-1024x683.jpg``). Each such
address, in a post's body and in a media item (``attachment``), is looked up in the
folder by its path below the uploads address: the sized copy it names, else the
original it was made from. The file goes into the library through its own checks
(decoded in full, metadata and location stripped), the same bytes once, and the
address in the body becomes the library's. A file missing or refused is left where it
was and reported; it never fails the import.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError

from broadsheet.interchange import wpcontent
from broadsheet.interchange.loading import fit
from broadsheet.interchange.summary import Summary, counted, plural
from broadsheet.interchange.wxr import reader
from broadsheet.interchange.wxr.meta import (
    META_ALT_TEXT,
    META_ATTACHED_FILE,
    META_CREDIT,
    META_THUMBNAIL,
)
from broadsheet.media import actions as media_actions
from broadsheet.media.images import STORED_NAME, prepare, prepared_as_stored
from broadsheet.media.models import Image

UPLOADS_PATH = "/wp-content/uploads/"
# The size WordPress adds to a copy it made (photo-1024x683.jpg), before the extension.
_SIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")
# WordPress 5.3 and later keep a very large upload scaled down as photo-scaled.jpg.
_SCALED = re.compile(r"-scaled(?=\.\w+$)")
# After an uploads address: the file's path, up to an image extension (a link to an
# attachment's page is not a file), and any query string a CDN added (?w=1024).
_FILE = r"([^\s\"'<>?#]+?\.(?:jpe?g|png|gif|webp))(?:\?[^\s\"'<>#]*)?(?=[\s\"'<>#,)]|$)"
# Reported by name; past this many only counted.
NAMED_FILES = 20


@dataclass
class Taken:
    """What became of one file named in the export."""

    image: Image | None
    problem: str = ""
    # Whether this run added the image to the library (else it was there already).
    new: bool = False


class Uploads:
    def __init__(
        self,
        folder: Path,
        channel: reader.Channel,
        attachments: dict[str, reader.Post],
        *,
        summary: Summary,
        offset: timedelta = timedelta(0),
        write_files: bool = True,
    ) -> None:
        self.folder = folder.resolve()
        self.offset = offset  # the site's UTC offset, for dates given only in local time
        self.summary = summary
        self.write_files = write_files
        self.attachments = attachments
        blog = channel.base_blog_url or channel.link or channel.base_site_url
        bases = {_bare(blog.rstrip("/") + UPLOADS_PATH)} if blog else set()
        # The media items' own addresses say where the files are: on another host (a
        # CDN), in another folder (a multisite's uploads/sites/2/), or under /media/ for
        # a Broadsheet site's export.
        self.by_file: dict[str, reader.Post] = {}
        for attachment in attachments.values():
            found = self._base_and_path(attachment)
            if found:
                bases.add(found[0])
                self.by_file.setdefault(_original(found[1]), attachment)
        bases.discard("")
        alternatives = "|".join(re.escape(b) for b in sorted(bases, key=len, reverse=True))
        self.address = (
            re.compile(rf"(?:https?:)?//(?:www\.)?(?:{alternatives}){_FILE}", re.IGNORECASE)
            if bases
            else None
        )
        self.taken: dict[Path, Taken] = {}
        self.problems: dict[str, str] = {}  # path in the folder -> why it stays behind

    @staticmethod
    def _base_and_path(attachment: reader.Post) -> tuple[str, str] | None:
        url = attachment.attachment_url or attachment.guid
        attached = attachment.meta.get(META_ATTACHED_FILE, "").strip().lstrip("/")
        if attached and url.endswith("/" + attached):
            return _bare(url[: -len(attached)]), attached
        if UPLOADS_PATH in url:
            base, path = url.split(UPLOADS_PATH, 1)
            return _bare(base + UPLOADS_PATH), path
        return None

    # Bodies

    def rewrite(self, content: str) -> str:
        """``content`` with each uploads address of a file found in the folder replaced
        by the library's address for it (in ``src``, ``srcset``, links alike)."""
        if self.address is None or "//" not in content:
            return content

        def replaced(match: re.Match) -> str:
            taken = self.take(unquote(html.unescape(match[1])))
            return taken.image.url if taken.image is not None else match[0]

        return self.address.sub(replaced, content)

    def lead_image(self, post: reader.Post) -> Image | None:
        """The library image of the post's featured image (``_thumbnail_id``)."""
        attachment = self.attachments.get(post.meta.get(META_THUMBNAIL, "").strip())
        if attachment is None:
            return None
        return self.attachment(attachment).image

    def attachment(self, attachment: reader.Post) -> Taken:
        """A media item's file taken into the library."""
        found = self._base_and_path(attachment)
        if found is None:
            url = attachment.attachment_url or attachment.guid
            return self._refuse(url or f"attachment {attachment.post_id}", "not under uploads")
        return self.take(found[1])

    # Files

    def take(self, path: str) -> Taken:
        """The library image for ``path`` below the uploads folder: the sized copy
        named, else its original."""
        file = self._find(path) or self._find(_SIZED.sub("", path, count=1))
        if file is None:
            return self._refuse(path, "not in the folder")
        if file in self.taken:
            return self.taken[file]
        relative = file.relative_to(self.folder).as_posix()
        try:
            with file.open("rb") as fh:
                if STORED_NAME.fullmatch(relative):
                    prepared = prepared_as_stored(relative, fh.read())
                else:
                    prepared = prepare(fh, file.stat().st_size)
        except ValidationError as exc:
            taken = self.taken[file] = self._refuse(path, exc.messages[0])
            return taken
        except OSError as exc:
            taken = self.taken[file] = self._refuse(path, exc.strerror or "unreadable")
            return taken
        image = Image.objects.filter(file=prepared.original.name).first()
        new = image is None
        if image is None:
            words = self._words(path, file)
            image = media_actions.add_image(prepared, write_files=self.write_files, **words)
            self._date(image, path)
        # Skipped: the same bytes are in the library already.
        self.summary.count("images", "found")
        self.summary.count("images", "created" if new else "skipped")
        taken = self.taken[file] = Taken(image, new=new)
        return taken

    def _find(self, path: str) -> Path | None:
        if not path or "\0" in path:
            return None
        file = (self.folder / path).resolve()
        # Never outside the folder, whatever ../ or a link in it says.
        if not file.is_relative_to(self.folder) or not file.is_file():
            return None
        return file

    def _words(self, path: str, file: Path) -> dict[str, str]:
        """Alt text, caption and credit from the media item the file belongs to."""
        attachment = self.by_file.get(_original(path))
        if attachment is None:
            return {"alt_text": fit(file.name, 300)}
        title = wpcontent.title_text(attachment.title)
        alt = html.unescape(attachment.meta.get(META_ALT_TEXT, "")).strip()
        return {
            "alt_text": fit(" ".join((alt or title or file.name).split()), 300),
            "caption": fit(wpcontent.html_to_text(attachment.excerpt), 500),
            "credit": fit(attachment.meta.get(META_CREDIT, "").strip(), 200),
        }

    def _date(self, image: Image, path: str) -> None:
        """The upload's time is the media item's, as a backup restore keeps it."""
        attachment = self.by_file.get(_original(path))
        if attachment is None:
            return
        when = reader.utc_time(attachment.post_date_gmt, attachment.post_date, self.offset)
        if when is not None:
            Image.objects.filter(pk=image.pk).update(uploaded_at=when)
            image.uploaded_at = when

    def _refuse(self, path: str, why: str) -> Taken:
        if path not in self.problems:
            self.problems[path] = why
            self.summary.count("images", "found")
            self.summary.count("images", "errors")
        return Taken(None, why)

    def report(self) -> None:
        tally = self.summary.get("images")
        taken = tally.created + tally.skipped
        self.summary.inform(
            f"Images: {taken} taken into the library from {self.folder} "
            f"({tally.created} new, {tally.skipped} there already)."
        )
        if not self.problems:
            return
        named = list(self.problems.items())[:NAMED_FILES]
        more = len(self.problems) - len(named)
        n = len(self.problems)
        addresses = ("address that names it still points", "addresses that name them still point")
        self.summary.warn(
            f"{counted(n, 'image file was', 'image files were')} not taken in; the "
            f"{plural(n, *addresses)} at the old site, and break when it is shut down: "
            + "; ".join(f"{path} ({why})" for path, why in named)
            + (f"; and {more} more" if more else "")
        )


def _bare(url: str) -> str:
    """An address without its scheme and ``www.``: ``old.example/wp-content/uploads/``."""
    parts = urlsplit(url)
    host = (parts.netloc or "").lower().removeprefix("www.")
    return host + parts.path if host else ""


def _original(path: str) -> str:
    """The name of the upload a sized or scaled copy was made from."""
    return _SCALED.sub("", _SIZED.sub("", path, count=1), count=1)
