"""The files an import reads, as they arrive: plain XML, XML compressed with gzip
(Disqus mails its export as ``<forum>-<date>-all.xml.gz``), or a ``.zip`` archive
holding one XML file or several (WordPress.com's export; a large site comes as
``<site>.wordpress.<date>.000.xml``, ``.001.xml``...).

Compressed files are read as they are unpacked, never written to disk, so a name in
an archive (``../../etc/passwd``) reaches no file system. An archive that unpacks to
far more than real exports do (a "zip bomb") is refused as soon as it does.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from broadsheet.interchange.xmlstream import BrokenFile, Source, Stream

# Exports shrink to a fifth or a tenth when compressed. Reading more than this many
# times the compressed size (past FLOOR) is a bomb, not an export.
RATIO = 100
FLOOR = 100 * 1024 * 1024
# More XML files than any real archive holds (WordPress.com splits at a few MB each).
MOST_FILES = 10_000

_ZIP = b"PK\x03\x04"
_GZIP = b"\x1f\x8b"


@dataclass(frozen=True)
class Packed:
    """An XML file inside a .zip archive (``member``) or a gzip file (no member)."""

    archive: Path
    member: str = ""

    def open(self) -> Stream:
        if not self.member:
            return Capped(gzip.open(self.archive, "rb"), _limit(self.archive.stat().st_size))
        archive = zipfile.ZipFile(self.archive)
        info = archive.getinfo(self.member)
        try:
            stream = archive.open(info)
        except (RuntimeError, NotImplementedError) as exc:  # encrypted; unknown method
            archive.close()
            raise BrokenFile(f"cannot be unpacked ({exc})") from None
        return Capped(stream, _limit(info.compress_size), archive)

    def __str__(self) -> str:
        return f"{self.archive}, {self.member}" if self.member else str(self.archive)


def unpack(path: Path) -> list[Source]:
    """The XML files ``path`` holds: itself, its gzip content, or the ``.xml`` files
    of a zip archive in the order of their names (folders, and the ``__MACOSX`` and
    ``._`` copies that macOS adds, left out). Raises BrokenFile for an archive that
    cannot be read, holds no XML file, or claims to unpack to a bomb's size."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic.startswith(_GZIP):
        return [Packed(path)]
    if magic != _ZIP:
        return [path]
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if _is_export(info)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise BrokenFile(f"{path}: not a readable .zip archive ({exc})") from None
    if not infos:
        raise BrokenFile(f"{path}: the .zip archive holds no .xml file")
    if len(infos) > MOST_FILES:
        raise BrokenFile(f"{path}: the .zip archive holds {len(infos)} .xml files; too many")
    for info in infos:
        if info.file_size > _limit(info.compress_size):
            raise BrokenFile(f"{Packed(path, info.filename)}: {_BOMB}")
    return [Packed(path, info.filename) for info in sorted(infos, key=lambda i: i.filename)]


def _is_export(info: zipfile.ZipInfo) -> bool:
    name = PurePosixPath(info.filename)
    return (
        not info.is_dir()
        and name.suffix.lower() == ".xml"
        and "__MACOSX" not in name.parts
        and not name.name.startswith("._")
    )


def _limit(compressed: int) -> int:
    return max(FLOOR, RATIO * compressed)


_BOMB = (
    f"unpacks to more than {RATIO} times its compressed size, which no export does "
    "(a zip bomb?); refused"
)


class Capped:
    """A stream that refuses to give more than ``limit`` bytes, and turns a damaged
    archive's errors into BrokenFile."""

    def __init__(self, stream: Stream, limit: int, archive: zipfile.ZipFile | None = None) -> None:
        self.stream = stream
        self.left = limit
        self.archive = archive

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.stream.read(self.left + 1 if size < 0 else min(size, self.left + 1))
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise BrokenFile(f"damaged archive ({exc})") from None
        self.left -= len(data)
        if self.left < 0:
            raise BrokenFile(_BOMB)
        return data

    def readline(self, size: int = -1) -> bytes:
        line = self.stream.readline(size)
        self.left -= len(line)
        return line

    def __enter__(self) -> Capped:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stream.__exit__(*exc)
        if self.archive is not None:
            self.archive.close()
