from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from broadsheet.discussion.models import Comment, choice_label
from broadsheet.markup import NOT_IN_HTML, html_text
from broadsheet.newsroom.models import SingletonModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ModerationSettings(SingletonModel):
    """The moderation choices editors change while the site runs (one row)."""

    hold_threshold = models.FloatField(
        _("hold threshold"),
        default=0.5,
        help_text=_("Hold a comment for review when the learned score is at least this (0 to 1)."),
    )
    spam_threshold = models.FloatField(
        _("spam threshold"),
        default=0.95,
        help_text=_("File a comment as spam when the learned score is at least this (0 to 1)."),
    )
    learned_min_examples = models.PositiveIntegerField(
        _("examples before the score decides"),
        default=20,
        help_text=_(
            "The learned score decides nothing until the filter has learned from at least "
            "this many published and this many unpublished comments."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        _("most links"),
        default=2,
        help_text=_(
            "Hold comments whose text has more links than this (links to this site aside)."
        ),
    )
    duplicate_window_minutes = models.PositiveIntegerField(
        _("repeated text window (minutes)"),
        default=60,
        help_text=_("Hold a text posted again within this many minutes. 0: off."),
    )
    hold_first_comment = models.BooleanField(
        _("hold first comments"),
        default=False,
        help_text=_("Hold a commenter's first comment until a moderator approves it."),
    )
    trust_after = models.PositiveSmallIntegerField(
        _("trust after"),
        default=3,
        help_text=_(
            "Commenters with this many approved comments, each up a day or more, and "
            "none rejected or spam skip the learned score and the first-comment hold (the word "
            "lists and the link limit still apply). 0: trust nobody automatically."
        ),
    )
    reports_to_hide = models.PositiveSmallIntegerField(
        _("reports to hide"),
        default=3,
        help_text=_("Hide a comment (back to pending) once this many readers report it. 0: never."),
    )
    rate_per_minute = models.PositiveSmallIntegerField(
        _("comments per minute"),
        default=5,
        help_text=_("Comments one address or one author may post per minute. 0: no limit."),
    )
    rate_per_hour = models.PositiveSmallIntegerField(
        _("comments per hour"),
        default=40,
        help_text=_("Comments one address or one author may post per hour. 0: no limit."),
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return gettext("Moderation settings")

    def clean(self) -> None:
        errors = {}
        for name in ("hold_threshold", "spam_threshold"):
            if not 0 <= getattr(self, name) <= 1:
                errors[name] = _("A score threshold is between 0 and 1.")
        if not errors and self.spam_threshold < self.hold_threshold:
            errors["spam_threshold"] = _("The spam threshold cannot be below the hold threshold.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls) -> ModerationSettings:
        return super().load()


# A rule with a * needs at least this many other characters. "*a*" (any word with an
# a) or "*.*" catches nearly every comment; "f*ck", "*.ru" and "viagr*" are narrow.
MIN_LITERALS = 3
PHRASE_MAX_LENGTH = 200


def phrase_problem(phrase: str) -> str | None:
    """Why a word-list rule is too broad to be saved, or None when it may be."""
    # "*" (or "* *", "*.*") alone stands for any word: it would catch every comment.
    if not any(char.isalnum() for char in phrase):
        return gettext(
            "“%(phrase)s” needs a letter or a digit: without one it matches nearly every "
            "comment. Write the word you want to catch, such as casino, or the start of it "
            "followed by *, such as casin*."
        ) % {"phrase": phrase}
    literals = sum(not char.isspace() and char != "*" for char in phrase)
    if "*" in phrase and literals < MIN_LITERALS:
        return gettext(
            "“%(phrase)s” is too broad: a rule with * needs at least %(least)s letters, "
            "digits or other characters besides the * (it has %(literals)s), or it matches a "
            "great many ordinary words. Write more of the word, such as *casino* or viagr*; "
            "to catch a short word only on its own, write it without *."
        ) % {"phrase": phrase, "least": MIN_LITERALS, "literals": literals}
    return None


def new_rule_problem(phrase: str) -> str | None:
    """Why a rule may not be added to a word list (too long, holding a character no page
    can show, or ``phrase_problem``)."""
    if len(phrase) > PHRASE_MAX_LENGTH:
        return gettext(
            "“%(start)s…” is longer than %(most)s characters, the most a rule may have."
        ) % {"start": html_text(phrase[:40]), "most": PHRASE_MAX_LENGTH}
    if NOT_IN_HTML.search(phrase):
        # The list is shown again in a text box, which could not carry it.
        return gettext(
            "“%(phrase)s” holds an invisible control character (pasted, most likely): remove it."
        ) % {"phrase": html_text(phrase)}
    return phrase_problem(phrase)


class WordRule(models.Model):
    """A word or phrase from the site's lists, matched against body, name, e-mail and website."""

    class List(models.TextChoices):
        HOLD = "hold", _("Hold for review")
        BLOCK = "block", _("File as spam")

    phrase = models.CharField(
        _("phrase"),
        max_length=PHRASE_MAX_LENGTH,
        help_text=_(
            "Case does not matter; * stands for any run of letters (free*, *casino*). "
            "Whole words only; disguised spellings are caught too (v1agra, v i a g r a, "
            "look-alike letters)."
        ),
    )
    list = models.CharField(_("list"), max_length=5, choices=List.choices, default=List.HOLD)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["list", "phrase"]
        verbose_name = _("word rule")
        verbose_name_plural = _("word rules")
        constraints = [
            models.UniqueConstraint(fields=["phrase", "list"], name="wordrule_unique_phrase")
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.get_list_display()})"

    def clean(self) -> None:
        if problem := new_rule_problem(self.phrase):
            raise ValidationError({"phrase": problem})


# How a sentence names each list ("on the hold list").
LIST_NAMES: dict[str, StrOrPromise] = {
    WordRule.List.HOLD: _("hold"),
    WordRule.List.BLOCK: _("block"),
}


def author_said(name: str, comment: int | None, label: str = "") -> str:
    """A blocked author as moderators read it: their name and the comment they were
    blocked from, or the ``label`` an older block was given; empty when none is known."""
    if comment is not None:
        return gettext("%(name)s (comment #%(id)s)") % {"name": name, "id": comment}
    return name or label


class BlockQuerySet(models.QuerySet):
    def active(self) -> BlockQuerySet:
        now = timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class Block(models.Model):
    """An author who may not comment: by account, e-mail or IP, kept as a keyed hash."""

    class Kind(models.TextChoices):
        USER = "user", _("Account")
        EMAIL = "email", _("E-mail")
        IP = "ip", _("IP address")

    kind = models.CharField(_("blocked by"), max_length=5, choices=Kind.choices)
    # HMAC-SHA256 (keyed with SECRET_KEY) of the normalised value, never the value.
    key = models.CharField(_("key"), max_length=64)
    # What moderators see instead of the value: the author's name at the time and the
    # comment they were blocked from, said as the page's language says it (``author``).
    author_name = models.CharField(_("author's name"), max_length=255, blank=True)
    author_comment = models.PositiveBigIntegerField(
        _("blocked from comment"), null=True, blank=True
    )
    # A block made before those two were kept names its author here, in the words of the
    # time ("Jane (comment #12)"); the upgrade read each it could back into them.
    label = models.CharField(_("author (as written then)"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    expires_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, help_text=_("Empty: for good.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocked by moderator"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        indexes = [
            # The blocked-author check on every post: is any of these hashes blocked?
            models.Index(fields=["key", "expires_at"], name="block_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.author or self.key[:10]}"

    @property
    def author(self) -> str:
        """Who is blocked, in the active language: "Jane (comment #12)"; empty when unknown."""
        return author_said(self.author_name, self.author_comment, self.label)

    @property
    def is_active(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()


class Report(models.Model):
    """A reader's report of a comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or hateful")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True, max_length=1000)
    # Keyed hash of the reporter's account or address: one report per reader and comment.
    reporter_key = models.CharField(_("reporter key"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The moderator's decision that upheld or dismissed it (undoing that reopens it).
    resolution = models.ForeignKey(
        "AuditEntry", verbose_name=_("resolution"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="resolved",
    )  # fmt: skip

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="report_one_per_reader"
            )
        ]
        indexes = [
            # The Reported tab: comments with open reports.
            models.Index(fields=["status", "comment"], name="report_open_idx"),
        ]

    def __str__(self) -> str:
        return gettext("Report of comment #%(comment)s: %(reason)s") % {
            "comment": self.comment_id,
            "reason": self.get_reason_display(),
        }


class AuditEntry(models.Model):
    """One moderator action. Append-only: never updated or deleted by the application."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        SPAM = "spam", _("Marked as spam")
        DELETE = "delete", _("Deleted")
        RESTORE = "restore", _("Restored")
        UNDO = "undo", _("Undone")
        HIDE = "hide", _("Hidden after reports")
        DISMISS = "dismiss", _("Reports dismissed")
        BLOCK = "block", _("Blocked author")
        UNBLOCK = "unblock", _("Unblocked author")
        THRESHOLDS = "thresholds", _("Changed the score thresholds")
        SETTINGS = "settings", _("Changed the moderation settings")
        WORDS = "words", _("Changed the word lists")
        EDIT = "edit", _("Edited the text")
        ARTICLE = "article", _("Changed a story's comments")
        FEATURE = "feature", _("Featured")
        UNFEATURE = "unfeature", _("No longer featured")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), null=True, on_delete=models.SET_NULL,
        related_name="audit_entries",
    )  # fmt: skip
    # For a change to a whole story's discussion (comments closed, every comment held).
    article = models.ForeignKey(
        "newsroom.Article", verbose_name=_("article"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=10, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, blank=True)
    # What happened, as data: a list of messages, each a code and its values
    # ({"code": "hidden", "reports": 3}), put into words in the reader's language when
    # shown (``said``; ``moderation.notes`` says each).
    details = models.JSONField(_("details"), default=list, blank=True)
    # What a person wrote (a block's reason), kept as written; for an entry written
    # before ``details``, its English sentence as stored, unless the upgrade could read
    # it back into details.
    note = models.TextField(_("note"), blank=True)
    # The entries of one bulk decision share it: undoing the decision takes them all back.
    batch = models.UUIDField(null=True, blank=True, editable=False)
    # For an undo: the entry it reverses.
    reverts = models.ForeignKey(
        "self", verbose_name=_("undoes"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reverted_by",
    )  # fmt: skip
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            # The audit log page, newest first, entries of the same moment by id (its
            # tie-break): the page's ids read from the index in order, none sorted after.
            models.Index(fields=["-created_at", "-id"], name="audit_recent_idx"),
            # The audit log's Action filter (one action's entries, newest first: paged on
            # their ids, counted up to the next pages), and the admin's: where every
            # entry was read to find one action's.
            models.Index(fields=["action", "-created_at", "-id"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        # The admin's title for an entry; many concern no comment (a story, the settings).
        said = {"actor": self.actor or gettext("Automatic"), "action": self.get_action_display()}
        if self.comment_id:
            return gettext("%(actor)s: %(action)s, comment #%(id)s") % {
                **said,
                "id": self.comment_id,
            }
        if self.article_id:
            return gettext("%(actor)s: %(action)s, article #%(id)s") % {
                **said,
                "id": self.article_id,
            }
        return gettext("%(actor)s: %(action)s") % said

    def get_action_display(self) -> str:  # type: ignore[no-redef]
        """What was done, in words. A change to the site settings is filed as a change
        to the settings (the log's filter shows both kinds together), and said as what
        it was: its entry holds a ``site_settings`` message."""
        if self.action == self.Action.SETTINGS and any(
            isinstance(m, dict) and m.get("code") == "site_settings" for m in self.details or []
        ):
            return gettext("Changed the site settings")
        return choice_label(self.Action, self.action)

    @property
    def status_change(self) -> str:
        """The comment's status before and after, in the active language ("approved →
        spam"); empty when the entry names none (a change to the settings)."""
        if not (self.from_status or self.to_status):
            return ""
        return gettext("%(old)s → %(new)s") % {
            "old": _status_word(self.from_status),
            "new": _status_word(self.to_status),
        }

    @property
    def said(self) -> str:
        """What the entry says, in the active language: its details put into words,
        then its note as written."""
        # Imported here: the wording reads these models' labels.
        from broadsheet.moderation import notes

        return notes.say(self.details, self.note)


def _status_word(status: str) -> str:
    """A comment status as a sentence names it (its label, lower-cased in English)."""
    if status not in Comment.Status.values:
        return status or "–"
    label = str(Comment.Status(status).label)
    return label[:1].lower() + label[1:]


class LearnedModel(models.Model):
    """The site's learned filter, shared by every app server (one row)."""

    version = models.PositiveIntegerField(_("version"), default=0)
    # Changes on every save; processes compare it to know their copy is current.
    revision = models.CharField(_("revision"), max_length=32)
    blob = models.BinaryField()
    published_examples = models.PositiveIntegerField(_("published examples"), default=0)
    unpublished_examples = models.PositiveIntegerField(_("unpublished examples"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("learned filter")
        verbose_name_plural = _("learned filters")

    def __str__(self) -> str:
        return gettext("Learned filter, version %(version)s") % {"version": self.version}


class TaughtExample(models.Model):
    """A labelled comment the filter was taught from a file (``moderation train``).

    Kept so that what a file taught outlives the model it went into: ``rebuild``,
    the retraining after an upgrade and a restored backup all learn these again
    with the site's own decisions. Each text and label is kept once per file name.
    """

    body = models.TextField(_("text"))
    # The addresses of the page it was on, space-separated (a labelled file's page column).
    page = models.TextField(_("page"), blank=True, default="")
    not_to_publish = models.BooleanField(_("not to publish"))
    source = models.CharField(
        _("file"), max_length=255, help_text=_("The name of the file it came from.")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    taught_at = models.DateTimeField(_("taught at"), default=timezone.now)

    class Meta:
        verbose_name = _("example taught from a file")
        verbose_name_plural = _("examples taught from a file")
        indexes = [models.Index(fields=["source"])]

    def __str__(self) -> str:
        return f"{self.source}: {self.body[:40]}"
