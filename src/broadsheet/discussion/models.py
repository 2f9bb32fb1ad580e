from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from broadsheet.conf import conf
from broadsheet.discussion.querysets import CommentQuerySet
from broadsheet.newsroom.models import Article

# Comments whose text came as HTML, by their origin: imported from WordPress or Disqus.
# Every other comment is written in Markdown.
HTML_ORIGINS = ("wxr:", "disqus:")


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """``value``'s label, in the active language, or ``value`` itself when it is none
    of ``choices``: what Django's ``get_FOO_display`` says, without translating every
    label to find the one (it hashes them all: 17 for an audit entry's action, on each
    of the 100 rows of the log)."""
    return str(choices(value).label) if value in choices.values else str(value)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REJECTED = "rejected", _("Rejected")
        DELETED = "deleted", _("Deleted")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("in reply to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="replies",
    )  # fmt: skip
    # The top-level comment of this one's thread (itself for a top-level comment),
    # and that comment's time: a page of a discussion is "the comments of these
    # threads", one indexed query, however deep or long the threads are.
    thread = models.ForeignKey(
        "self", verbose_name=_("thread"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    thread_key = models.DateTimeField(_("thread started at"), default=timezone.now)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )

    # 255: the most WordPress's own column (comment_author, 255 bytes) can hold, so that no
    # name an import brings is cut; a pingback's is the linking post's whole title. The
    # comment form has its own, smaller limit (COMMENT_NAME_MAX_LENGTH).
    author_name = models.CharField(_("author's name"), max_length=255)
    author_email = models.EmailField(_("author's e-mail"), max_length=254, blank=True)
    author_url = models.URLField(_("author's website"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)

    body = models.TextField(_("text"), help_text=_("As the author wrote it (Markdown subset)."))
    body_html = models.TextField(_("as shown"), editable=False)

    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # When a moderator picked it for the article's *Editors' picks*; null: not picked.
    # Only a published comment is shown there (moderation.actions.feature).
    featured_at = models.DateTimeField(null=True, blank=True, editable=False)

    # SHA-256 of the bearer token handed to the author; the token itself is never stored.
    edit_token_hash = models.CharField(max_length=64, blank=True, editable=False)

    # What moderation decided on arrival and why; shown to moderators.
    score = models.FloatField(_("learned score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    # Where an imported comment came from ("wxr:<site>#<id>"), so a second import
    # recognises it.
    origin = models.CharField(_("imported from"), max_length=300, blank=True, default="")
    # Another system's key for the same comment: a WordPress comment that Disqus's
    # plugin copied from Disqus ("disqus-post:<id>"), so that importing the Disqus
    # export as well does not store it twice.
    alias = models.CharField(_("also known as"), max_length=300, blank=True, default="")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # A discussion page: one article's comments of a set of threads, in order.
            models.Index(
                fields=["article", "status", "thread_key", "thread", "created_at"],
                name="comment_page_idx",
            ),
            # The API's flat list: one article's approved comments by time.
            models.Index(fields=["article", "status", "created_at", "id"], name="comment_flat_idx"),
            # The moderation queue: comments of one status, oldest or newest first; a
            # page's ids read from the index alone, however far into the tab.
            models.Index(fields=["status", "created_at", "id"], name="comment_queue_idx"),
            # The queue read by the filter's score ("highest score first").
            models.Index(fields=["status", "score"], name="comment_queue_score_idx"),
            # An author's history (trust, first-comment hold, the queue's author
            # column): comments by e-mail and name together.
            models.Index(fields=["author_email", "author_name"], name="comment_author_idx"),
            # The moderators' search for an address (Find comments), a block's count of
            # who else used it, and the learned filter's comments by the same author.
            models.Index(fields=["ip_address"], name="comment_ip_idx"),
            # The moderators' search, newest first: for a phrase most comments hold, the
            # comments are read in this order, each looked up among the matches, until
            # a page is full, rather than every match sorted (discussion.indexing).
            models.Index(fields=["created_at", "id"], name="comment_newest_idx"),
            # Re-imports look comments up by origin.
            models.Index(fields=["origin"], name="comment_origin_idx"),
            models.Index(fields=["alias"], condition=~Q(alias=""), name="comment_alias_idx"),
            # An article's editors' picks: the few comments featured.
            models.Index(
                fields=["article", "featured_at"],
                condition=Q(featured_at__isnull=False),
                name="comment_featured_idx",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s on article #%(article)s: %(text)s") % {
            "name": self.author_name,
            "article": self.article_id,
            "text": self.body[:40],
        }

    def get_absolute_url(self) -> str:
        return reverse("discussion:permalink", args=[self.pk])

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(self.Status, self.status)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def body_is_html(self) -> bool:
        """Whether ``body`` is HTML as another system kept it, not Markdown."""
        return self.origin.startswith(HTML_ORIGINS)

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def editable_until(self):
        return self.created_at + timedelta(minutes=conf.COMMENT_EDIT_WINDOW_MINUTES)

    def is_editable(self) -> bool:
        return (
            self.status in (self.Status.APPROVED, self.Status.PENDING, self.Status.SPAM)
            and timezone.now() < self.editable_until
        )


class StatusTally(models.Model):
    """How many comments are in each status, for the moderation queue's tabs and pager
    and the admin's comment list: a share of the count per row, the rows of one
    status added up. Database triggers on the comments' table keep it, in the
    transaction of every insert, status change and deletion, whatever makes them
    (``discussion.tally``); nothing in the code writes it but a recount."""

    status = models.CharField(max_length=10)
    # PostgreSQL: the share of the database session that changed the comments (its
    # process id modulo ``tally.SLOTS``), so that two posts at once do not queue for
    # one row; SQLite, which writes one transaction at a time: always 0.
    slot = models.PositiveSmallIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "slot"], name="status_tally_slot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.status}[{self.slot}]: {self.n}"
