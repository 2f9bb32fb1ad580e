"""Every change to who gets e-mail: reply e-mails (the wish, its confirmation, and
stopping), and the moderators' e-mails about comments that wait for review.

Choices (docs/operations.md says them to operators):

- Confirmation is per address: once an address is confirmed, each later comment
  posted with it and the box ticked is followed without another confirmation.
- A signed-in reader's account address counts as confirmed: readers do not sign
  themselves up (accounts are made by the site's staff), so it was not typed into
  the comment form by a stranger.
- An address that stopped all mail gets nothing, not even a confirmation, until its
  owner opts in again: by a confirmation link, the button on the page that said it
  stopped, or ticking the box while signed in with it as the account's address.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from broadsheet.conf import conf
from broadsheet.discussion.mail import Following
from broadsheet.discussion.models import Comment
from broadsheet.moderation.identity import normal_email
from broadsheet.notifications import compose, moderators, outbox
from broadsheet.notifications.links import address_key, address_keys, spelling_key
from broadsheet.notifications.models import (
    Address,
    DigestItem,
    Message,
    ModeratorChoice,
    Subscription,
)

Status = Address.Status


def address_of(comment: Comment) -> str:
    """Where a comment's author is written to: the address on the form, else the account's."""
    if comment.author_email:
        return comment.author_email
    return comment.user.email if comment.user_id and comment.user else ""


def _confirm_on_publishing(comment: Comment) -> None:
    """``comment``, published now after waiting, asked for replies (``follow`` said LATER):
    check its author's address as ``follow`` would have."""
    if comment.status_changed_at == comment.created_at:
        return  # published as it was posted: ``follow`` has seen to it
    if not Subscription.objects.filter(comment=comment).exists():
        return
    email = address_of(comment)
    if not email:
        return
    address = Address.objects.select_for_update().filter(key=address_key(email)).first()
    if address is not None and address.status == Status.UNCONFIRMED:
        _ask_to_confirm(comment, email, address)


def _is_own_account_address(comment: Comment, email: str) -> bool:
    user = comment.user if comment.user_id else None
    return bool(user and user.email and normal_email(user.email) == normal_email(email))


def follow(comment: Comment) -> Following:
    """Keep the wish of ``comment``'s author to hear of replies; send the first
    confirmation when the address needs one. Called in the comment's transaction.
    Returns what came of it, for the author's page to say."""
    email = address_of(comment)
    if not email:
        return Following.OFF
    address, created = Address.objects.select_for_update().get_or_create(key=address_key(email))
    if created:
        _carry_over(address, email)
    if _is_own_account_address(comment, email):
        _set_status(address, Status.CONFIRMED)
    # The inbox's state, or its spelling's when that changed later (a link in a message
    # sent before the inbox had a state of its own: ``status_of``).
    status = Address.objects.status_of(address_keys(email))
    if status == Status.STOPPED:
        return Following.OFF  # it gets nothing; nor is a wish kept to wake with an opt-in
    Subscription.objects.get_or_create(comment=comment)
    if status == Status.CONFIRMED:
        return Following.ON
    if comment.status != Comment.Status.APPROVED:
        # Nothing is sent for a comment nobody can see: a bot posting spam with
        # strangers' addresses would have the site mail them. ``shown`` sends it if a
        # moderator publishes the comment.
        return Following.LATER
    return _ask_to_confirm(comment, email, address)


def _carry_over(address: Address, email: str) -> None:
    """An inbox new to ``Address`` takes the state its address had when kept by its
    spelling (before 2026-11-27): a stop, a confirmation, the last one sent."""
    if (old_key := spelling_key(email)) == address.key:
        return
    old = Address.objects.filter(key=old_key).first()
    if old is not None:
        address.status, address.changed_at = old.status, old.changed_at
        address.confirmation_sent_at = old.confirmation_sent_at
        address.confirmations_sent = old.confirmations_sent
        address.save(
            update_fields=["status", "changed_at", "confirmation_sent_at", "confirmations_sent"]
        )


def _ask_to_confirm(comment: Comment, email: str, address: Address) -> Following:
    """Queue the message that checks ``email`` (``address``), unless one went out lately."""
    now = timezone.now()
    interval = timedelta(hours=conf.MAIL_CONFIRM_INTERVAL_HOURS)
    if address.confirmation_sent_at and now - address.confirmation_sent_at < interval:
        return Following.UNCONFIRMED  # one confirmation, not one per comment (or try)
    if address.confirmations_sent >= conf.MAIL_CONFIRM_MAX:
        # Asked that often and never answered: most likely not the poster's address.
        # Its owner may still follow the link of the last one while it works.
        return Following.UNCONFIRMED
    address.confirmation_sent_at = now
    address.confirmations_sent += 1
    address.save(update_fields=["confirmation_sent_at", "confirmations_sent"])
    outbox.queue(compose.confirmation(comment, email, address.key))
    return Following.CONFIRMING


def shown(reply: Comment) -> None:
    """Queue the notice of ``reply``, which readers can now see, to the author of the
    comment it answers, when they asked and confirmed; and the message that checks its own
    author's address, when they asked for replies while it waited. Called in the reply's
    transaction."""
    if reply.origin or reply.kind != Comment.Kind.COMMENT:
        return  # imported comments announce nothing: importing is not posting
    _confirm_on_publishing(reply)
    if reply.parent_id is None:
        return
    subscription = (
        Subscription.objects.filter(comment_id=reply.parent_id)
        .select_related("comment__article", "comment__user")
        .first()
    )
    if subscription is None:
        return
    parent = subscription.comment
    email = address_of(parent)
    if not email or parent.status != Comment.Status.APPROVED:
        return
    replier = address_of(reply)
    same_person = (reply.user_id is not None and reply.user_id == parent.user_id) or (
        replier and normal_email(replier) == normal_email(email)
    )
    if same_person:
        return
    if Address.objects.status_of(address_keys(email)) != Status.CONFIRMED:
        return
    # Approving a reply, taking it back and approving it again announces it once.
    if Message.objects.filter(kind=Message.Kind.REPLY, reply=reply).exists():
        return
    outbox.queue(compose.reply_notice(parent, reply, email))


def confirm(key: str) -> None:
    """The owner of the address with ``key`` followed a confirmation link (or asked for
    mail again after stopping it)."""
    with transaction.atomic():
        address, _ = Address.objects.select_for_update().get_or_create(key=key)
        _set_status(address, Status.CONFIRMED)


def stop_comment(comment_id: int) -> bool:
    """No more notices of replies to one comment. False if none were wanted."""
    deleted, _ = Subscription.objects.filter(comment_id=comment_id).delete()
    return bool(deleted)


def stop_address(key: str) -> None:
    """No more e-mail of any kind to the address with ``key``."""
    with transaction.atomic():
        address, _ = Address.objects.select_for_update().get_or_create(key=key)
        _set_status(address, Status.STOPPED)


def _set_status(address: Address, status: str) -> None:
    if address.status != status:
        address.status = status
        address.changed_at = timezone.now()
        address.save(update_fields=["status", "changed_at"])


Notices = ModeratorChoice.Notices


def moderator_waiting(comment: Comment, why: str, *, again: bool = False) -> None:
    """Tell the moderators that ``comment`` came to wait (``DigestItem.Why``): at once,
    one e-mail each (not when it was waiting already, reported and now ``again``
    hidden), or in their digest. Called in the transaction that made it wait; a
    comment by a member of staff is announced to nobody."""
    if comment.user_id and comment.user and comment.user.is_staff:
        return
    told = [m for m in moderators.moderators() if m.notices != Notices.NEVER]
    at_once = [m for m in told if m.notices == Notices.EACH]
    if at_once and not again:
        entry = moderators.entries([(comment, why)])[0]
        for moderator in at_once:
            outbox.queue(compose.waiting_notice(entry, moderator))
    gathering = [m for m in told if m.notices == Notices.DIGEST]
    if gathering:
        _gather(gathering, comment, why)


def _gather(gathering: list[Any], comment: Comment, why: str) -> None:
    """Add ``comment`` to each moderator's digest still gathering, or start one, due
    MODERATION_DIGEST_MINUTES from now. A digest a sender has claimed is being
    written: it is not added to (the lock waits for a claim being made)."""
    now = timezone.now()
    open_digests = {
        m.moderator_id: m
        for m in Message.objects.select_for_update().filter(
            kind=Message.Kind.DIGEST,
            status=Message.Status.QUEUED,
            claimed_until__isnull=True,
            moderator__in=[m.pk for m in gathering],
        )
    }
    due = now + timedelta(minutes=conf.MODERATION_DIGEST_MINUTES)
    items = []
    for moderator in gathering:
        digest = open_digests.get(moderator.pk)
        if digest is None:
            # Not queue(): it is not due before the cron job, or a later request, sends it.
            digest = Message.objects.create(
                kind=Message.Kind.DIGEST,
                recipient=moderator.email,
                headers=compose.moderator_headers(moderator),
                moderator=moderator,
                created_at=now,
                not_before=due,
            )
        items.append(DigestItem(message=digest, comment=comment, why=why, arrived_at=now))
    DigestItem.objects.bulk_create(
        items, update_conflicts=True, unique_fields=["message", "comment"], update_fields=["why"]
    )


def set_notices(user: Any, notices: str) -> bool:
    """Store what ``user`` wants to hear of the queue; returns whether it changed
    (an account that never chose had ``ModeratorChoice.DEFAULT``)."""
    notices = Notices(notices)
    with transaction.atomic():
        choice, _ = ModeratorChoice.objects.select_for_update().get_or_create(user=user)
        if choice.notices == notices:
            return False
        choice.notices = notices
        choice.changed_at = timezone.now()
        choice.save(update_fields=["notices", "changed_at"])
        return True
