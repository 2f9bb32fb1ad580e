"""Explicit moderation checks. Each looks at a Submission and returns a Verdict.

A check never raises to refuse: it says what it would do and why, and the
policy combines the verdicts. Two keep counters in the shared cache (the rate
limit and the duplicate-text window), which is what lets several app servers
agree on them; nothing else is stored.
"""

from __future__ import annotations

import hashlib
import math
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.timesince import timeuntil
from django.utils.translation import get_language_bidi, gettext_noop
from django.utils.translation import gettext as _

from broadsheet.conf import conf
from broadsheet.counters import count_hit, counters, limits_on, wait_if_spent
from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Submission, Verdict
from broadsheet.moderation.features import clean_markup, count_links
from broadsheet.moderation.identity import author_keys, block_keys
from broadsheet.moderation.learned import STANDING_AFTER, site_hosts
from broadsheet.moderation.models import Block, ModerationSettings, WordRule
from broadsheet.moderation.names import owners_of, role_word_in
from broadsheet.moderation.wordmatch import compile_rules, match_text
from broadsheet.newsroom.models import Article, SiteSettings

ALLOW = "allow"
Status = Comment.Status


# An approved comment counts towards trust once it has stood as long as the filter
# waits before taking it as one the moderators let stand. Without it, three bland
# comments published at once made their author trusted a second later.
TRUST_SETTLES_AFTER = STANDING_AFTER


@dataclass
class AuthorHistory:
    approved: int = 0
    unpublished: int = 0  # rejected or spam
    settled: int = 0  # approved and posted at least TRUST_SETTLES_AFTER ago

    @property
    def known(self) -> bool:
        return self.approved + self.unpublished > 0


@dataclass
class Context:
    """What the checks share for one submission: the site's settings, read once."""

    site: SiteSettings
    rules: ModerationSettings
    sub: Submission
    # What a check took in shared state for this comment, to give back if it is not
    # stored (``Decision.reserved``).
    reserved: list[Callable[[], object]] = field(default_factory=list)

    @cached_property
    def history(self) -> AuthorHistory | None:
        """The author's earlier decided comments, by account or else e-mail; None if anonymous."""
        return author_history(self.sub)


def author_filter(sub: Submission) -> Q | None:
    user = sub.user
    if getattr(user, "is_authenticated", False):
        return Q(user_id=user.pk)
    if sub.author_email:
        # Name and e-mail together, as WordPress does: the e-mail alone is not a secret.
        return Q(author_email=sub.author_email, author_name=sub.author_name)
    return None


def author_history(sub: Submission) -> AuthorHistory | None:
    match = author_filter(sub)
    if match is None:
        return None
    comments = Comment.objects.filter(match)
    if sub.editing is not None:
        comments = comments.exclude(pk=sub.editing.pk)
    settled_before = timezone.now() - TRUST_SETTLES_AFTER
    counts = comments.aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        unpublished=Count("pk", filter=Q(status__in=[Status.SPAM, Status.REJECTED])),
        settled=Count("pk", filter=Q(status=Status.APPROVED, created_at__lte=settled_before)),
    )
    return AuthorHistory(**counts)


Check = Callable[[Context], Verdict]


def trusted_staff(ctx: Context) -> Verdict:
    user = ctx.sub.user
    if user is not None and getattr(user, "is_staff", False):
        return Verdict("trusted_staff", "trust", gettext_noop("Posted by a member of staff."))
    return Verdict("trusted_staff", ALLOW, "Not staff.")


def comments_open(ctx: Context) -> Verdict:
    if ctx.sub.editing is None and not ctx.sub.article.accepts_comments(ctx.site):
        return Verdict("comments_open", "refuse", _("Comments are closed on this article."))
    return Verdict("comments_open", ALLOW, "Comments are open.")


def max_length(ctx: Context) -> Verdict:
    limit = conf.COMMENT_MAX_LENGTH
    if len(ctx.sub.body) > limit:
        return Verdict(
            "max_length", "refuse", _("Longer than %(limit)s characters.") % {"limit": limit}
        )
    return Verdict("max_length", ALLOW, "Within the length limit.")


def blocked_author(ctx: Context) -> Verdict:
    sub = ctx.sub
    keys = block_keys(user=sub.user, email=sub.author_email, ip=sub.ip_address)
    if not keys:
        return Verdict("blocked_author", ALLOW, "Not blocked.")
    ends = list(Block.objects.active().filter(key__in=keys).values_list("expires_at"))
    if ends:
        if any(end is None for (end,) in ends):
            return Verdict("blocked_author", "refuse", _("You cannot comment on this site."))
        # A timed block says when it ends, so the reader knows it is not for good, and
        # a program reads the seconds left (Retry-After).
        until = max(end for (end,) in ends)
        left = max(1, math.ceil((until - timezone.now()).total_seconds()))
        return Verdict("blocked_author", "refuse", block_ends(until), retry_after=left)
    return Verdict("blocked_author", ALLOW, "Not blocked.")


def block_ends(until: datetime) -> str:
    """When a timed block ends, as its author is told: a date and time in the site's time
    zone, with that zone named as its distance from UTC (a reader elsewhere, or a date
    shown without one, would read it in their own), and how long that is from now, which
    reads the same wherever the reader is."""
    local = timezone.localtime(until)
    offset = local.utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    zone = "UTC"
    if minutes:
        sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
        zone += f"{sign}{minutes // 60}" + (f":{minutes % 60:02}" if minutes % 60 else "")
    if get_language_bidi():  # kept whole, and left to right, in a right-to-left sentence
        zone = f"\u2066{zone}\u2069"
    return _("You cannot comment on this site until %(when)s (%(zone)s), %(left)s from now.") % {
        "when": formats.date_format(local, "DATETIME_FORMAT"),
        "zone": zone,
        "left": timeuntil(until),
    }


# Said in English here (tests compare with it), in the site's language when refused.
STAFF_NAME_TAKEN = gettext_noop(
    "That name belongs to a member of staff. If it is yours, sign in to use it; "
    "otherwise please choose another name."
)

ROLE_WORD_TAKEN = gettext_noop(
    "A name with the word “%(word)s” would speak for the site, so it is kept for its "
    "staff. If you are on the staff, sign in to use it; otherwise please choose another "
    "name."
)


def staff_name(ctx: Context) -> Verdict:
    sub = ctx.sub
    # An edit keeps the name the comment was posted with, and an import keeps history.
    if sub.editing is not None or sub.channel == "import":
        return Verdict("staff_name", ALLOW, "Names are checked when a comment is posted.")
    owners = owners_of(sub.author_name)
    if not owners:
        return Verdict("staff_name", ALLOW, "Not a staff member's name.")
    if getattr(sub.user, "is_authenticated", False) and sub.user.pk in owners:
        return Verdict("staff_name", ALLOW, "A member of staff, under their own name.")
    # The poster can mend it (another name), so it is refused on the name field. A name
    # refused for a role word alone ("Editor Tester") is told so: it is nobody's name.
    role = role_word_in(sub.author_name)
    if role is not None and not owners_of(sub.author_name, roles=False):
        reason = _(ROLE_WORD_TAKEN) % {"word": role}
        return Verdict("staff_name", "refuse", reason, field="author_name")
    return Verdict("staff_name", "refuse", _(STAFF_NAME_TAKEN), field="author_name")


def rate_limit(ctx: Context) -> Verdict:
    sub = ctx.sub
    if not limits_on():
        return Verdict("rate_limit", ALLOW, "Rate limits are off.")
    if sub.editing is not None or sub.channel == "import":
        return Verdict("rate_limit", ALLOW, "Edits and imports are not rate limited.")
    keys = author_keys(user=sub.user, email=sub.author_email, ip=sub.ip_address)
    waits: list[int] = []
    for who in ("ip", "user", "email"):
        if who not in keys:
            continue
        # Once a key refuses the post, the later ones are only read (for the longest
        # wait): a refused post counted against each made-up e-mail address it gave
        # would add counters without end, until Django culled live ones from the table.
        count = wait_if_spent if waits else count_hit
        for limit, window in ((ctx.rules.rate_per_minute, 60), (ctx.rules.rate_per_hour, 3600)):
            if limit and (wait := count(keys[who][:32], limit, window)):
                waits.append(wait)
    if waits:
        return Verdict(
            "rate_limit",
            "throttle",
            _("Too many comments in a short time."),
            retry_after=max(waits),
        )
    return Verdict("rate_limit", ALLOW, "Within the rate limits.")


def honeypot(ctx: Context) -> Verdict:
    if ctx.sub.honeypot:
        return Verdict("honeypot", "spam", gettext_noop("Filled in the field hidden from people."))
    return Verdict("honeypot", ALLOW, "Hidden field left empty.")


def posting_speed(ctx: Context) -> Verdict:
    least = conf.MIN_SECONDS_TO_POST
    elapsed = ctx.sub.elapsed_seconds
    # The site's form always carries its signed time: a post without it (or with a forged
    # one) was not made with the form, and an old one may be a stamp a bot keeps reusing.
    # Held, not refused: a person is behind some of them.
    if ctx.sub.unstamped:
        return Verdict(
            "posting_speed", "hold", gettext_noop("Posted without the time the form was served.")
        )
    most = conf.MAX_FORM_AGE_DAYS
    if elapsed is not None and elapsed > most * 86400:
        return Verdict.said(
            "posting_speed",
            "hold",
            gettext_noop("Posted more than %(days)s days after the form was served."),
            days=most,
        )
    if elapsed is not None and elapsed < least:
        return Verdict.said(
            "posting_speed",
            "spam",
            gettext_noop("Posted %(seconds).1fs after the form was served (least %(least)ss)."),
            seconds=elapsed,
            least=least,
        )
    return Verdict("posting_speed", ALLOW, "Posted at a human pace.")


# What a listed word's reason says, by its list: the word as the comment wrote it,
# and the rule that caught it when that is written otherwise ("rule" for "RULES").
LISTED = {
    WordRule.List.BLOCK: gettext_noop("Contains “%(said)s” (on the block list)."),
    WordRule.List.HOLD: gettext_noop("Contains “%(said)s” (on the hold list)."),
}
LISTED_BY_RULE = {
    WordRule.List.BLOCK: gettext_noop(
        "Contains “%(said)s” (the rule “%(rule)s” on the block list)."
    ),
    WordRule.List.HOLD: gettext_noop("Contains “%(said)s” (the rule “%(rule)s” on the hold list)."),
}


def word_lists(ctx: Context) -> Verdict:
    rules: dict[str, list[str]] = {WordRule.List.BLOCK: [], WordRule.List.HOLD: []}
    for phrase, kind in WordRule.objects.values_list("phrase", "list").order_by("phrase"):
        rules[kind].append(phrase)
    text = None
    for kind, action in ((WordRule.List.BLOCK, "spam"), (WordRule.List.HOLD, "hold")):
        pattern = compile_rules(tuple(rules[kind]))
        if pattern is None:
            continue
        if text is None:
            sub = ctx.sub
            text = match_text(sub.body, sub.author_name, sub.author_email, sub.author_url)
        if found := pattern.search(text):
            place, said = found
            rule = rules[kind][place]
            if rule.casefold() == said:
                return Verdict.said("word_lists", action, LISTED[kind], said=said)
            return Verdict.said("word_lists", action, LISTED_BY_RULE[kind], said=said, rule=rule)
    return Verdict("word_lists", ALLOW, "No listed words.")


def _fingerprint(body: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", clean_markup(body)).casefold().split())
    return hashlib.sha256(text.encode()).hexdigest()


# Shorter texts ("Thanks!", "+1") are said twice by different people in good faith.
DUPLICATE_MIN_LENGTH = 20


def duplicate_text(ctx: Context) -> Verdict:
    minutes = ctx.rules.duplicate_window_minutes
    body = ctx.sub.body
    if (
        not minutes
        or ctx.sub.editing is not None
        or ctx.sub.channel == "import"
        or len(body.strip()) < DUPLICATE_MIN_LENGTH
    ):
        return Verdict("duplicate_text", ALLOW, "Not checked for repeats.")
    # add() only succeeds for the first post of this text in the window. Should that
    # post not be stored after all (the database failed), its fingerprint is taken
    # back, so that the author's second try is not held as a repeat of the first.
    key = f"bs:dup:{_fingerprint(body)}"
    marks = counters()
    if marks.add(key, int(time.time()), timeout=minutes * 60):
        ctx.reserved.append(lambda: marks.delete(key))
        return Verdict("duplicate_text", ALLOW, "Not posted before.")
    return Verdict.said(
        "duplicate_text",
        "hold",
        gettext_noop("The same text was posted in the last %(minutes)s minutes."),
        minutes=minutes,
    )


def too_many_links(ctx: Context) -> Verdict:
    # Links to the site's own pages (an earlier article, another comment) do not count.
    links = count_links(ctx.sub.body, site=site_hosts())
    most = ctx.rules.max_links
    if links > most:
        return Verdict.said(
            "too_many_links",
            "hold",
            gettext_noop("Has %(links)s links (more than %(most)s)."),
            links=links,
            most=most,
        )
    return Verdict("too_many_links", ALLOW, f"Has {links} link(s).")


def hold_all(ctx: Context) -> Verdict:
    """The site's comment policy, or the story's own where an editor chose one for it.

    One check for both, so that staff and trusted commenters meet a story held by an
    editor exactly as they meet a site that holds everything."""
    story = ctx.sub.article.comment_policy
    if story == Article.CommentPolicy.HOLD:
        return Verdict(
            "hold_all", "hold", gettext_noop("This story holds every comment for review.")
        )
    if story == Article.CommentPolicy.PUBLISH:
        return Verdict("hold_all", ALLOW, "This story publishes comments at once.")
    if ctx.site.comment_policy == SiteSettings.CommentPolicy.HOLD:
        return Verdict("hold_all", "hold", gettext_noop("The site holds every comment for review."))
    return Verdict("hold_all", ALLOW, "The site publishes comments at once.")


def first_comment(ctx: Context) -> Verdict:
    if not ctx.rules.hold_first_comment or ctx.sub.editing is not None:
        return Verdict("first_comment", ALLOW, "First comments are not held.")
    history = ctx.history
    if history is None:
        # As WordPress does: without an e-mail address (or an account) there is nobody to
        # have published before; a name alone is anybody's.
        return Verdict(
            "first_comment",
            "hold",
            gettext_noop("No e-mail address or account to know the author by."),
        )
    if history.approved == 0:
        return Verdict(
            "first_comment", "hold", gettext_noop("The author's first comment on this site.")
        )
    return Verdict("first_comment", ALLOW, "The author has published comments before.")


def trusted_commenter(ctx: Context) -> Verdict:
    needed = ctx.rules.trust_after
    history = ctx.history
    if needed and history and history.settled >= needed and history.unpublished == 0:
        return Verdict.said(
            "trusted_commenter",
            "trust",
            gettext_noop(
                "Trusted: %(count)s approved comments, a day old or more, and none rejected."
            ),
            count=history.settled,
        )
    return Verdict("trusted_commenter", ALLOW, "Not yet trusted.")


DEFAULT_CHECKS: list[Check] = [
    trusted_staff,
    comments_open,
    max_length,
    blocked_author,
    staff_name,
    rate_limit,
    honeypot,
    posting_speed,
    word_lists,
    duplicate_text,
    too_many_links,
    hold_all,
    first_comment,
    trusted_commenter,
]
