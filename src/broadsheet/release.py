"""What tells one release of Broadsheet's code from another.

A cached article page is kept under its ETag (``discussion.pagecache``), and
readers' browsers and proxies revalidate their copies by it. After an upgrade
that changed a template, a stylesheet or the code that draws a page, those
copies must be drawn anew, though nothing in the database changed: the ETag
holds this fingerprint. Every app server running the same release computes the
same one, once per process.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

# .mo: a release that mends a translation redraws the pages in that language.
_DRAWN_FROM = {".py", ".html", ".css", ".js", ".txt", ".mo"}


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of the package's code, templates, static files and translations."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in _DRAWN_FROM and "__pycache__" not in path.parts and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
