"""Explicit moderation checks. Each looks at a Submission and returns a Verdict.

A check never stores anything and never raises to refuse: it says what it
would do and why, and the policy combines the verdicts.
"""

from __future__ import annotations

from collections.abc import Callable

from broadsheet.conf import conf
from broadsheet.discussion.policy import Submission, Verdict
from broadsheet.newsroom.models import SiteSettings

Check = Callable[[Submission, SiteSettings], Verdict]

ALLOW = "allow"


def comments_open(sub: Submission, site: SiteSettings) -> Verdict:
    if sub.editing is None and not sub.article.accepts_comments(site):
        return Verdict("comments_open", "refuse", "Comments are closed on this article.")
    return Verdict("comments_open", ALLOW, "Comments are open.")


def max_length(sub: Submission, site: SiteSettings) -> Verdict:
    limit = conf.COMMENT_MAX_LENGTH
    if len(sub.body) > limit:
        return Verdict("max_length", "refuse", f"Longer than {limit} characters.")
    return Verdict("max_length", ALLOW, "Within the length limit.")


def honeypot(sub: Submission, site: SiteSettings) -> Verdict:
    if sub.honeypot:
        return Verdict("honeypot", "spam", "Filled in the field hidden from people.")
    return Verdict("honeypot", ALLOW, "Hidden field left empty.")


def posting_speed(sub: Submission, site: SiteSettings) -> Verdict:
    least = conf.MIN_SECONDS_TO_POST
    if sub.elapsed_seconds is not None and sub.elapsed_seconds < least:
        return Verdict(
            "posting_speed",
            "spam",
            f"Posted {sub.elapsed_seconds:.1f}s after the form was served (least {least}s).",
        )
    return Verdict("posting_speed", ALLOW, "Posted at a human pace.")


def hold_all(sub: Submission, site: SiteSettings) -> Verdict:
    if site.comment_policy == SiteSettings.CommentPolicy.HOLD:
        return Verdict("hold_all", "hold", "The site holds every comment for review.")
    return Verdict("hold_all", ALLOW, "The site publishes comments at once.")


def trusted_staff(sub: Submission, site: SiteSettings) -> Verdict:
    user = sub.user
    if user is not None and getattr(user, "is_staff", False):
        return Verdict("trusted_staff", "trust", "Posted by a member of staff.")
    return Verdict("trusted_staff", ALLOW, "Not staff.")


DEFAULT_CHECKS: list[Check] = [
    trusted_staff,
    comments_open,
    max_length,
    honeypot,
    posting_speed,
    hold_all,
]
