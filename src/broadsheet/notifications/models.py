"""Who wants reply e-mails, what each moderator wants to hear of the queue, and the
outbox of e-mails not yet sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from broadsheet.discussion.models import Comment


class AddressQuerySet(models.QuerySet):
    def status_of(self, keys: tuple[str, str]) -> str:
        """The state kept under ``keys`` (``links.address_keys``: the inbox's, then the
        spelling's, as kept before 2026-11-27) that changed last, the first of them when
        they changed at once; else unconfirmed. A link in an e-mail sent before names the
        spelling: "stop all e-mail" pressed there stops the inbox too."""
        rows = self.filter(key__in=keys).values_list("key", "changed_at", "status")
        kept = {key: (at, status) for key, at, status in rows}
        found = [kept[k] for k in keys if k in kept]
        latest = max(found, key=lambda row: row[0], default=None)  # the first of equals
        return latest[1] if latest else Address.Status.UNCONFIRMED


class Address(models.Model):
    """What one e-mail address agreed to. Keyed by a hash of the address (as blocks
    are, ``moderation.identity``): the address itself is on the comments already, and
    is not written here a second time."""

    class Status(models.TextChoices):
        # Asked for reply e-mails on a form; the address may not be the poster's.
        UNCONFIRMED = "unconfirmed", "Not confirmed"
        # Its owner followed the link sent to it (or it is a signed-in reader's own).
        CONFIRMED = "confirmed", "Confirmed"
        # Its owner asked for no more e-mail: none is sent, not even a confirmation.
        STOPPED = "stopped", "Stopped"

    key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    # The last confirmation sent: another waits MAIL_CONFIRM_INTERVAL_HOURS.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # Confirmations sent in all: past MAIL_CONFIRM_MAX, an address that never answered is
    # sent no more, so a bot giving a stranger's address gets them a few e-mails at most.
    confirmations_sent = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = AddressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.get_status_display()} address {self.key[:12]}…"


class Subscription(models.Model):
    """A comment whose author asked to be e-mailed when someone replies to it."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="reply_subscription"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Replies to comment #{self.comment_id}"


class Message(models.Model):
    """One e-mail in the outbox, written in the transaction that caused it.

    Sent after that transaction commits; one that could not be sent stays queued
    for ``broadsheet mail send``. Once sent, its address and text are blanked: the
    row stays only so that a reply is never announced twice.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation"
        REPLY = "reply", "Reply notice"
        # To a moderator: one comment waits (sent at once), or the digest of several.
        WAITING = "waiting", "Comment waiting"
        DIGEST = "digest", "Queue digest"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        # Tried MAIL_MAX_ATTEMPTS times without success.
        FAILED = "failed", "Given up"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    recipient = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # The comment whose author is written to (the one replied to, or the one that
    # opted in), and for a notice the reply it announces; for a moderator's notice of
    # one waiting comment, that comment.
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reply = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The moderator written to (a waiting comment, a digest): their address is read
    # again when the e-mail is sent, and nothing goes once they stop moderating.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not tried again before then: the wait after a failure.
    not_before = models.DateTimeField(default=timezone.now)
    # A sender took it and is sending it until then; none other takes it meanwhile.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A reply approved, unapproved and approved again is announced once.
            models.UniqueConstraint(
                fields=["reply"], condition=Q(kind="reply"), name="one_notice_per_reply"
            ),
        ]
        indexes = [
            # The sender's look-up: queued mail due now, oldest first.
            models.Index(
                fields=["not_before", "id"],
                condition=Q(status="queued"),
                name="message_due_idx",
            ),
            # A comment come to wait: the moderator's digest still gathering, if any.
            models.Index(
                fields=["moderator"],
                condition=Q(status="queued", kind="digest"),
                name="message_open_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"


class ModeratorChoice(models.Model):
    """What one moderator chose to be e-mailed about comments that wait for review.
    A moderator without a row gets ``DEFAULT``."""

    class Notices(models.TextChoices):
        NEVER = "never", _("Never")
        DIGEST = "digest", _("A digest")
        EACH = "each", _("At once, for every comment")

    DEFAULT = Notices.DIGEST

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_choice"
    )
    notices = models.CharField(max_length=6, choices=Notices.choices, default=DEFAULT)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_notices_display()}"


class DigestItem(models.Model):
    """A comment that came to wait, for a moderator's digest still gathering."""

    class Why(models.TextChoices):
        HELD = "held", _("Held for review")
        REPORTED = "reported", _("Reported by a reader")
        HIDDEN = "hidden", _("Hidden after readers' reports")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="items")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    why = models.CharField(max_length=8, choices=Why.choices)
    arrived_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Reported, then hidden before the digest went: listed once, as hidden.
            models.UniqueConstraint(fields=["message", "comment"], name="digest_item_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.comment_id} in digest #{self.message_id}"
