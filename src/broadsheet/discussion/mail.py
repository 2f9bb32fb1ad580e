"""The seam between discussion and the e-mail its comments cause.

A reader may ask, when posting, to be e-mailed when someone replies. Discussion
tells the class the REPLY_MAIL tunable names (``broadsheet.notifications`` by
default) of that wish and of every comment that readers can now see, inside the
transaction that stores it, so that a reply acknowledged is never a reply whose
notice was forgotten. Discussion never imports the notifications app itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.utils.module_loading import import_string

from broadsheet.conf import conf

if TYPE_CHECKING:
    from broadsheet.discussion.models import Comment


class ReplyMail(Protocol):
    def follow(self, comment: Comment) -> None:
        """The author of ``comment``, just stored, asked to be told of replies to it."""

    def shown(self, comment: Comment) -> None:
        """``comment`` has just become visible to readers (posted approved, or approved)."""


def get_reply_mail() -> ReplyMail:
    return import_string(conf.REPLY_MAIL)()
