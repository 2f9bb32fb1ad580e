"""``{{ value|machine_time }}``: a moment as a ``<time datetime>`` attribute gives it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value: datetime | None) -> str:
    """ISO 8601 to the second, in the site's time zone, with its offset. HTML's
    ``datetime`` takes at most three digits of a second's fraction; Django's
    ``date:'c'`` writes six whenever the moment has them (every stored one does)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")
