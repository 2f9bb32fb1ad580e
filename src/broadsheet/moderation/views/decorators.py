"""Who may open a moderation page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from broadsheet.moderation.apps import MODERATE


def needs(permission: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page for those with ``permission`` only (403 for others): blocks and the audit log
    have their own, which the Moderators group holds and an operator may take away."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied(f"This page needs the permission {permission}.")
            return view(request, *args, **kwargs)

        return checked

    return wrap


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff with ``MODERATE`` only: others signed in get 403, everyone else the sign-in page."""
    return staff_member_required(needs(MODERATE)(view))
