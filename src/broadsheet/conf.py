"""Broadsheet's tunables, declared once with their defaults and read at call time.

Deployment-wide knobs live here and can be overridden in Django settings as
``BROADSHEET_<NAME>``. Choices an editor changes while the site runs (hold every
comment, close comments after N days, thread depth...) live in the database in
``newsroom.SiteSettings`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Tunable:
    default: Any
    doc: str


TUNABLES: dict[str, Tunable] = {
    "COMMENT_EDIT_WINDOW_MINUTES": Tunable(
        15, "Minutes during which a commenter may edit or delete."
    ),
    "COMMENT_MAX_LENGTH": Tunable(10_000, "Longest comment body accepted, in characters."),
    "COMMENT_NAME_MAX_LENGTH": Tunable(
        100, "Longest author name accepted; at most 255, the column's size."
    ),
    "ARTICLES_PER_PAGE": Tunable(10, "Articles per page of the front page and archives."),
    "FEED_ITEMS": Tunable(
        20, "Entries in each page of a feed (articles, or comments); the first holds the newest."
    ),
    "API_PAGE_SIZE": Tunable(
        50, "Comments per page of the JSON API's comment list, and articles per page of its search."
    ),
    "READER_BODY_LIMIT": Tunable(
        256 * 1024, "Largest request body, in bytes, accepted anywhere but the admin."
    ),
    "MODERATION_POLICY": Tunable(
        "broadsheet.moderation.policy.DefaultPolicy", "Dotted path of the moderation policy."
    ),
    "COMMENT_HTML_RENDERER": Tunable(
        "broadsheet.interchange.wpcontent.comment_html",
        "Dotted path of the function that renders a comment imported as HTML when its "
        "text is changed.",
    ),
    "WORDPRESS_HTML_RENDERER": Tunable(
        "broadsheet.interchange.wpcontent.article_html",
        "Dotted path of the function that lays out an article imported from WordPress "
        "(paragraphs, shortcodes, footnotes) when it is saved again; called with its body "
        "and slug= its slug.",
    ),
    "DISCUSSION_AUDIT": Tunable(
        "broadsheet.moderation.actions.record_discussion_change",
        "Dotted path of the function that writes a newsroom change to the discussion (a "
        "story's comments closed, opened or held; the site's settings) in the moderation "
        "audit log.",
    ),
    "REPLY_MAIL": Tunable(
        "broadsheet.notifications.hooks.ReplyMail",
        "Dotted path of the class that, inside discussion's transactions, keeps a reader's "
        "wish to be e-mailed about replies and queues those e-mails.",
    ),
    "MODERATOR_MAIL": Tunable(
        "broadsheet.notifications.hooks.ModeratorMail",
        "Dotted path of the class that, inside the transaction that makes a comment wait "
        "for a moderator (held, reported, hidden by reports), queues the moderators' "
        "e-mails about it.",
    ),
    "MODERATION_DIGEST_MINUTES": Tunable(
        60,
        "Minutes a moderator's digest of comments waiting for review gathers, from the "
        "first comment it lists, before it is sent: at most one digest a moderator this often.",
    ),
    "MAIL_TIMEOUT_SECONDS": Tunable(
        10, "Seconds the site waits for the SMTP server before leaving a mail for a retry."
    ),
    "MAIL_MAX_ATTEMPTS": Tunable(
        8, "Attempts to send one e-mail before it is given up (and logged)."
    ),
    "MAIL_CONFIRM_DAYS": Tunable(
        7, "Days a link confirming an address for reply e-mails keeps working."
    ),
    "MAIL_CONFIRM_INTERVAL_HOURS": Tunable(
        24,
        "Hours before an address that has not confirmed may be sent another confirmation.",
    ),
    "MAIL_CONFIRM_MAX": Tunable(
        3,
        "Confirmations an address is ever sent while its owner has not answered; past "
        "them it is sent nothing (a stranger's address given by a bot gets no more).",
    ),
    "RATE_LIMIT": Tunable("on", "'off' disables rate limits (benchmarks only)."),
    "PAGE_CACHE_SECONDS": Tunable(
        300, "Seconds a rendered anonymous article page, or feed, is kept in the shared cache."
    ),
    "PAGE_MEMORY_MB": Tunable(
        16,
        "Megabytes of recently served article pages each app process keeps in memory, "
        "served only while the shared cache holds the same page (0: none).",
    ),
    "SIGNIN_FAILURES": Tunable(
        5,
        "Failed staff sign-ins to one account from one address in 15 minutes before that "
        "address must wait (0: no limit).",
    ),
    "SIGNIN_FAILURES_PER_ADDRESS": Tunable(
        30,
        "Failed staff sign-ins from one address, to any account, in an hour before it "
        "must wait (0: no limit).",
    ),
    "PASSWORD_RESETS_PER_HOUR": Tunable(
        3, "Password reset e-mails sent to one address, and asked for from one, in an hour."
    ),
    "SEARCHES_PER_MINUTE": Tunable(
        30,
        "Searches one address may make in a minute, on the search page and through the API "
        "together, before it is asked to wait (0: no limit).",
    ),
    "MIN_SECONDS_TO_POST": Tunable(2, "Least seconds between loading the form and posting it."),
    "MAX_FORM_AGE_DAYS": Tunable(
        3, "A form posted more days than this after it was served is held for review."
    ),
}


class _Conf:
    def __getattr__(self, name: str) -> Any:
        try:
            tunable = TUNABLES[name]
        except KeyError:
            raise AttributeError(name) from None
        return getattr(settings, f"BROADSHEET_{name}", tunable.default)


conf = _Conf()
