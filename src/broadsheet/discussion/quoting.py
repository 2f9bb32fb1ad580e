from __future__ import annotations

from django.urls import reverse

from broadsheet.discussion.models import Comment


def quote_markdown(comment: Comment, passage: str | None = None) -> str:
    """A block quote of ``comment`` (or a passage of it) with a link back to it."""
    text = (passage if passage is not None else comment.body).strip()
    link = reverse("discussion:permalink", args=[comment.pk])
    name = comment.author_name.replace("[", "\\[").replace("]", "\\]")
    lines = [f"> [{name} wrote:]({link})", ">"]
    lines += [f"> {line}" if line else ">" for line in text.split("\n")]
    return "\n".join(lines)
