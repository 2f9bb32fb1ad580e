from __future__ import annotations

import re

from django.urls import reverse
from django.utils.translation import gettext as _

from broadsheet.discussion.models import Comment
from broadsheet.markup import html_text

# Every ASCII punctuation mark CommonMark lets a backslash escape.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_literal(text: str) -> str:
    """``text`` as Markdown that shows it as it is, on one line: a name such as
    ``Dana\\](https://x.example)`` cannot become a link or leave the quote."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def quote_markdown(comment: Comment, passage: str | None = None) -> str:
    """A block quote of ``comment`` (or a passage of it) with a link back to it, as
    its page shows it: without the characters HTML forbids (a vertical tab breaks
    the quote's line), which the form's box would otherwise carry into the page."""
    text = html_text(passage if passage is not None else comment.body).strip()
    link = reverse("discussion:permalink", args=[comment.pk])
    said = _("%(name)s wrote:") % {"name": markdown_literal(html_text(comment.author_name))}
    lines = [f"> [{said}]({link})", ">"]
    lines += [f"> {line}" if line else ">" for line in text.split("\n")]
    return "\n".join(lines)
