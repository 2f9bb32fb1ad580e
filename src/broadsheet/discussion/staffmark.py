"""The *Staff* mark beside a comment follows its author's account.

The mark is drawn from the account's ``is_staff`` when a page is rendered, and
the rendered page is kept under its article's ``changed_at`` (``views``). So
when an account becomes staff or stops being staff, or is deleted, every
article it commented on is marked changed: no page, nor a reader's or a
proxy's copy of it, goes on showing the old mark.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from broadsheet.newsroom.models import Article

_WAS_STAFF = "_broadsheet_was_staff"


def note_staff(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """pre_save: remember whether the account was staff before this save."""
    if raw or instance.pk is None or kwargs.get("update_fields") == frozenset({"last_login"}):
        return
    was = sender.objects.filter(pk=instance.pk).values_list("is_staff", flat=True).first()
    setattr(instance, _WAS_STAFF, was)


def staff_changed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save: the account became staff or stopped being staff."""
    was = instance.__dict__.pop(_WAS_STAFF, None)
    if not created and was is not None and was != instance.is_staff:
        pages_of(instance.pk)


def account_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_delete: its comments stay, no longer anyone's (and never marked)."""
    if instance.is_staff:
        pages_of(instance.pk)


def pages_of(user_id: int) -> None:
    commented = Article.objects.filter(comments__user_id=user_id).values("pk")
    Article.objects.filter(pk__in=commented).update(changed_at=timezone.now())
