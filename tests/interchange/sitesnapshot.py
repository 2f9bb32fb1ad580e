"""Every row a site keeps, in a form two databases can be compared by.

``snapshot()`` reads every table of every installed app (Django's and Broadsheet's) and
gives, per model label, its rows keyed by primary key, each field as plain JSON: links to
accounts by username, to content types as ``app.model``, to permissions as
``app.codename``, many-to-many links as sorted lists of those, times in UTC, binary
columns and stored files as the SHA-256 of their bytes. Two sites whose snapshots are
equal hold the same things, whatever database each runs on.

``python -m tests.interchange.sitesnapshot`` prints the snapshot of the site the
environment names (``BROADSHEET_DATABASE_URL``, ``BROADSHEET_DATA_DIR``), as JSON: the
whole-site backup test reads a restored site that way, in a process of its own.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

# Tables whose rows are made from the code, not kept by the site: each installation
# makes its own (with its own ids), so they are compared through the rows naming them.
DERIVED = frozenset({"contenttypes.ContentType", "auth.Permission"})


def _natural(obj: Any) -> Any:
    """How a row another row links to is named across databases."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    if obj is None:
        return None
    if isinstance(obj, get_user_model()):
        return obj.get_username()
    if isinstance(obj, ContentType):
        return f"{obj.app_label}.{obj.model}"
    if isinstance(obj, Permission):
        return f"{obj.content_type.app_label}.{obj.codename}"
    if isinstance(obj, Group):
        return obj.name
    return obj.pk


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview | bytearray):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def _file(field_file: Any) -> Any:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
    except FileNotFoundError:
        digest = "missing"
    return {"name": field_file.name, "sha256": digest}


def _row(obj: Any) -> dict[str, Any]:
    from django.db import models

    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.is_relation:
            out[f.name] = _natural(getattr(obj, f.name))
        elif isinstance(f, models.FileField):
            out[f.name] = _file(getattr(obj, f.name))
        else:
            out[f.name] = _plain(getattr(obj, f.attname))
    for f in obj._meta.many_to_many:
        out[f.name] = sorted(str(_natural(o)) for o in getattr(obj, f.name).all())
    return out


def snapshot() -> dict[str, dict[str, dict[str, Any]]]:
    from django.apps import apps

    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in DERIVED or not model._meta.managed:
            continue
        links = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = model._default_manager.select_related(*links).order_by("pk")
        tables[label] = {str(_plain(obj.pk)): _row(obj) for obj in rows}
    return tables


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    django.setup()
    json.dump(snapshot(), sys.stdout, ensure_ascii=False, sort_keys=True)
