"""The seam between discussion and the e-mail its comments cause.

A reader may ask, when posting, to be e-mailed when someone replies. Discussion
tells the class the REPLY_MAIL tunable names (``broadsheet.notifications`` by
default) of that wish and of every comment that readers can now see, inside the
transaction that stores it, so that a reply acknowledged is never a reply whose
notice was forgotten. Likewise it tells the class MODERATOR_MAIL names of every
comment that comes to wait for a moderator (moderation tells it of reports).
Discussion never imports the notifications app itself.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from django.utils.module_loading import import_string

from broadsheet.conf import conf

if TYPE_CHECKING:
    from broadsheet.discussion.models import Comment


class Following(StrEnum):
    """What came of a reader's wish to be told of replies, for their page to say.
    The values go in the address the reader is sent to after posting (``?mail=``)."""

    CONFIRMING = "sent"  # a message to check the address went out with this comment
    # The comment is not published (held for review, or judged spam, which its author is
    # told is held): a message to check the address goes out if and when it is.
    LATER = "later"
    UNCONFIRMED = "waiting"  # one went out lately, not confirmed yet: none sent again
    ON = "on"  # the address is confirmed: replies will be e-mailed
    OFF = ""  # nothing will be sent (no address, or it stopped all mail)


class ReplyMail(Protocol):
    def follow(self, comment: Comment) -> Following:
        """The author of ``comment``, just stored, asked to be told of replies to it."""

    def shown(self, comment: Comment) -> None:
        """``comment`` has just become visible to readers (posted approved, or approved)."""


def get_reply_mail() -> ReplyMail:
    return import_string(conf.REPLY_MAIL)()


class ModeratorMail(Protocol):
    def waiting(self, comment: Comment, why: str, *, again: bool = False) -> None:
        """``comment`` has just come to wait for a moderator: ``why`` is "held" (by the
        checks or the filter, posted or edited), "reported" (a reader reported it) or
        "hidden" (readers' reports hid it). ``again``: it was waiting already, reported,
        and is now hidden. Called in the transaction that made it wait."""


def get_moderator_mail() -> ModeratorMail:
    return import_string(conf.MODERATOR_MAIL)()
