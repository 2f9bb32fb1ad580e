"""Accounts and groups in the JSON backup (``jsonbackup``), and their restore.

A backup holds every account as Django stores it, password hash included (so
the backup file is as secret as the database), with its groups and its own
permissions by name; and every group with its permissions. A restore creates
the accounts a site does not have yet, under their old ids where those are
free, and keeps an account it already has (the operator's own, made with
``createsuperuser`` before the restore) as it is. Blocks and reports keyed by
an account's id (``moderation.identity.account_hashes``) are keyed anew for an
account whose id changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Prefetch

from broadsheet.interchange.summary import Summary


def _permission_names(permissions: Any) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def group_rows() -> Iterator[dict[str, Any]]:
    named = Permission.objects.select_related("content_type")
    groups = Group.objects.order_by("pk").prefetch_related(Prefetch("permissions", named))
    for group in groups:
        yield {
            "id": group.pk,
            "name": group.name,
            "permissions": _permission_names(group.permissions.all()),
        }


def account_rows(row: Any) -> Iterator[dict[str, Any]]:
    """Every account: ``row`` (the backup's own) of its fields, its groups and permissions."""
    named = Permission.objects.select_related("content_type")
    users = (
        get_user_model()
        .objects.order_by("pk")
        .prefetch_related("groups", Prefetch("user_permissions", named))
    )
    for user in users.iterator(chunk_size=1000):
        yield {
            **row(user),
            "groups": sorted(g.name for g in user.groups.all()),
            "permissions": _permission_names(user.user_permissions.all()),
        }


def _permissions(names: list[str], summary: Summary) -> list[Permission]:
    found = []
    for name in names:
        app_label, _, codename = name.partition(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            summary.note(f"permission {name} does not exist here: left out")
        else:
            found.append(permission)
    return found


def restore_group(record: dict[str, Any], summary: Summary) -> None:
    """A group by its name, holding the backup's permissions (the Moderators group
    that ``migrate`` made here takes the backup's, which its operator may have changed)."""
    group, created = Group.objects.get_or_create(name=record["name"])
    group.permissions.set(_permissions(record.get("permissions", []), summary))
    summary.count("groups", "created" if created else "updated")


class Accounts:
    """Restores accounts, and remembers which came back under another id."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        self.moved: dict[int, int] = {}  # the backup's id -> the id here

    def restore(self, fields: dict[str, Any], record: dict[str, Any]) -> None:
        """``fields``: the account's model fields from the backup (``_fields_for``)."""
        users = get_user_model()
        old_id = fields.pop("id")
        username = fields[users.USERNAME_FIELD]
        user = users.objects.filter(**{users.USERNAME_FIELD: username}).first()
        if user is not None:
            self.summary.count("accounts", "skipped")
            self.summary.note(
                f"account {username!r} exists here: kept as it is (password, groups and all)"
            )
        else:
            if not users.objects.filter(pk=old_id).exists():
                fields["id"] = old_id
            user = users.objects.create(**fields)
            user.groups.set(Group.objects.filter(name__in=record.get("groups", [])))
            user.user_permissions.set(_permissions(record.get("permissions", []), self.summary))
            self.summary.count("accounts", "created")
        if user.pk != old_id:
            self.moved[old_id] = user.pk

    def rekey(self) -> None:
        """Blocks and reports keyed by a moved account's old id get its new id's keys."""
        if not self.moved or not apps.is_installed("broadsheet.moderation"):
            return
        from broadsheet.moderation.identity import account_hashes
        from broadsheet.moderation.models import Block, Report

        keys: dict[str, str] = {}
        for old, new in self.moved.items():
            for kind, key in account_hashes(old).items():
                keys[key] = account_hashes(new)[kind]
        # One pass over the rows, each mapped once: two accounts whose ids swapped
        # swap their keys rather than both ending on one.
        blocks = list(Block.objects.filter(kind=Block.Kind.USER, key__in=keys))
        for block in blocks:
            block.key = keys[block.key]
        Block.objects.bulk_update(blocks, ["key"])
        reports = list(Report.objects.filter(reporter_key__in=keys))
        for report in reports:
            report.reporter_key = keys[report.reporter_key]
        Report.objects.bulk_update(reports, ["reporter_key"])
