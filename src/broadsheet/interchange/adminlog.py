"""The admin's history in the JSON backup (``jsonbackup``): who added, changed or deleted
what in the admin, and when, as each object's *History* page lists it.

An entry names its table by ``app_label.model``, since a content type's id is the
installation's own, and its account by username, as every link to an account in the
backup does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def entry_rows(row: Callable[..., dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every entry of the admin's history, oldest first; ``row`` writes its fields."""
    entries = LogEntry.objects.select_related("user").order_by("pk")
    for entry in entries.iterator(chunk_size=2000):
        # Content types are few, and Django keeps those it has read.
        table = (
            ContentType.objects.get_for_id(entry.content_type_id) if entry.content_type_id else None
        )
        yield {
            **row(entry, skip=("content_type",)),
            "content_type": f"{table.app_label}.{table.model}" if table else None,
        }


def restore_entry(kwargs: dict[str, Any], record: dict[str, Any]) -> bool:
    """Store one entry from ``kwargs`` (its fields, its account found by username);
    False, storing nothing, when that account is not on the site (an entry must name one)."""
    if kwargs.get("user") is None:
        return False
    app_label, _, model = str(record.get("content_type") or "").partition(".")
    kwargs["content_type"] = ContentType.objects.filter(app_label=app_label, model=model).first()
    if kwargs.get("id") is not None and LogEntry.objects.filter(pk=kwargs["id"]).exists():
        # Made on the new site before the restore (its settings saved in the admin, say):
        # both stay, the backup's under a new id; the history is read by time.
        kwargs.pop("id")
    LogEntry.objects.create(**kwargs)
    return True
