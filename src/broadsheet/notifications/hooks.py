"""What discussion (and moderation) call, by the REPLY_MAIL and MODERATOR_MAIL tunables
(discussion/mail.py)."""

from __future__ import annotations

from broadsheet.discussion.mail import Following
from broadsheet.discussion.models import Comment
from broadsheet.notifications import actions


class ReplyMail:
    def follow(self, comment: Comment) -> Following:
        return actions.follow(comment)

    def shown(self, comment: Comment) -> None:
        actions.shown(comment)


class ModeratorMail:
    def waiting(self, comment: Comment, why: str, *, again: bool = False) -> None:
        actions.moderator_waiting(comment, why, again=again)
