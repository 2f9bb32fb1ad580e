"""What discussion calls, by the REPLY_MAIL tunable (discussion/mail.py)."""

from __future__ import annotations

from broadsheet.discussion.models import Comment
from broadsheet.notifications import actions


class ReplyMail:
    def follow(self, comment: Comment) -> None:
        actions.follow(comment)

    def shown(self, comment: Comment) -> None:
        actions.shown(comment)
