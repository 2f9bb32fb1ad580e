"""``{{ comment.reasons|said_reasons }}``: a comment's stored reasons in the page's
language (``discussion.reasons``)."""

from __future__ import annotations

from django import template

from broadsheet.discussion.reasons import said_all

register = template.Library()


@register.filter
def said_reasons(value: object) -> list[str]:
    return said_all(value)
