"""The seam between discussion and moderation.

Discussion describes a comment about to be stored (a ``Submission``) and asks
the moderation policy named by the BROADSHEET_MODERATION_POLICY setting for a
``Decision``. It never imports moderation itself, the way Django finds its
authentication backends through a setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.module_loading import import_string

from broadsheet.conf import conf
from broadsheet.discussion.reasons import english

if TYPE_CHECKING:
    from broadsheet.discussion.models import Comment
    from broadsheet.newsroom.models import Article, SiteSettings


@dataclass
class Submission:
    """A comment as submitted, before it is stored."""

    article: Article
    body: str
    author_name: str
    author_email: str = ""
    author_url: str = ""
    parent: Comment | None = None
    user: Any = None
    ip_address: str | None = None
    user_agent: str = ""
    channel: str = "web"  # "web", "api" or "import"
    # Seconds between the form being served and posted; None when unknown (API).
    elapsed_seconds: float | None = None
    # A form post that did not carry the form's signed time (or carried a forged one).
    unstamped: bool = False
    honeypot: str = ""
    # The comment being edited, when this is an edit rather than a new comment.
    editing: Comment | None = None
    # The author asks to be e-mailed when someone replies (discussion/mail.py).
    notify_replies: bool = False
    # The site's settings as the request already read them (None: the policy reads them).
    site: SiteSettings | None = None


@dataclass(frozen=True)
class Verdict:
    """One check's finding: what it would do with the comment, and why."""

    check: str
    action: str  # "allow", "hold", "spam", "refuse" or "throttle"
    reason: str
    retry_after: int | None = None
    # For a refusal the poster can mend by changing one field (a name that is not
    # theirs to use): that field. The form shows the reason by it, and the API
    # answers 400 on it, as for any other bad value.
    field: str | None = None
    # For a reason moderators read later, in their own language: the sentence to
    # translate and its values (discussion/reasons.py). None: ``reason`` is the
    # sentence, with no values in it.
    msgid: str | None = None
    params: dict[str, Any] | None = None

    @classmethod
    def said(cls, check: str, action: str, msgid: str, **params: Any) -> Verdict:
        """A verdict whose reason is ``msgid`` with ``params`` in it, stored so."""
        return cls(check, action, english(msgid, params), msgid=msgid, params=params)

    def as_dict(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"check": self.check, "action": self.action, "reason": self.reason}
        if self.msgid is not None:
            stored.update(msgid=self.msgid, params=dict(self.params or {}))
        return stored


@dataclass
class Decision:
    status: str
    verdicts: list[Verdict] = field(default_factory=list)
    score: float | None = None
    # What judging took in shared state on the assumption that the comment would be
    # stored (the duplicate check's fingerprint): each a function that gives it back.
    # The posting action calls ``give_back`` when the comment is not stored after all.
    reserved: list[Callable[[], object]] = field(default_factory=list, repr=False)

    def give_back(self) -> None:
        """Undo what judging reserved: the comment it was for was never stored."""
        while self.reserved:
            self.reserved.pop()()

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return [v.as_dict() for v in self.verdicts if v.action != "allow"]


class Policy(Protocol):
    def decide(self, submission: Submission) -> Decision: ...


def get_policy() -> Policy:
    return import_string(conf.MODERATION_POLICY)()
