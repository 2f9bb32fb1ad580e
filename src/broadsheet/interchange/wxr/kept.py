"""What a re-import leaves as it is: the fields of an imported article changed here.

Each import records in ``Article.imported`` a digest of what it wrote into each group
of fields. On the next import a group whose value no longer has that digest was
changed here since (an editor retitled the article, unlisted it, moved it to another
section; a moderator closed its comments): the editor's value stays, even when the
file has changed too, since the decision here is newer. Every other group takes the
file's value, so a move in several passes still picks up what changed on the old site.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from broadsheet.newsroom.models import Article

# Fields that change together, under the name the summary's notes use.
GROUPS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "slug": ("slug",),
    "summary": ("summary",),
    "body": ("body", "body_format"),
    "byline": ("author_id",),
    "section": ("section_id",),
    "status": ("status", "published_at"),
    "listed": ("listed",),
    "comments open": ("comments_open",),
    "source": ("source_name", "source_url"),
    "lead image": ("lead_image_id",),
}
TAGS = "tags"

# An import saves an article and then sets its updated_at to the post's own time:
# within this of its creation it was not saved again.
_SAME_MOMENT = timedelta(seconds=1)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _digest(values: Iterable[Any]) -> str:
    text = json.dumps([_plain(v) for v in values], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def state(article: Article, tag_ids: Iterable[int]) -> dict[str, str]:
    """The digests of an article's groups of fields, and of its tags."""
    found = {
        group: _digest(getattr(article, name) for name in names) for group, names in GROUPS.items()
    }
    found[TAGS] = _digest(sorted(tag_ids))
    return found


def changed_here(article: Article, now: dict[str, str]) -> set[str]:
    """The groups of a stored article (whose digests are ``now``) changed here since
    the last import wrote them.

    An article imported before the import kept its record has none: when it was saved
    after the import made it (its ``updated_at`` is later than its creation, which an
    import never leaves it), every group counts as changed here, so nothing an editor
    did is lost; else none does."""
    recorded = article.imported or {}
    if recorded:
        return {group for group, digest in now.items() if recorded.get(group, digest) != digest}
    if article.created_at and article.updated_at > article.created_at + _SAME_MOMENT:
        return set(now)
    return set()
