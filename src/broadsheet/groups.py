"""The staff groups ``migrate`` makes, so that an operator gives a new colleague a role
by ticking *Staff status* and one group, not forty permissions (docs/operations.md)."""

from __future__ import annotations

from collections.abc import Iterable


def make_group_once(using: str, name: str, permissions: Iterable[tuple[str, str]]) -> None:
    """Make the group ``name`` holding ``permissions`` (app label, codename), the first time
    only: what an operator changes in it later is theirs, and stays."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.using(using).get_or_create(name=name)
    if not created:
        return
    wanted = Permission.objects.using(using).none()
    for app_label, codename in permissions:
        wanted |= Permission.objects.using(using).filter(
            content_type__app_label=app_label, codename=codename
        )
    group.permissions.set(wanted)
