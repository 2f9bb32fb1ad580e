"""The pieces around the mail: tokens and their pages, the API's opt-in, imports, and
the outbox's claims and retries."""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django.utils import timezone

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation_actions
from broadsheet.notifications import links, outbox
from broadsheet.notifications.models import Address, Message, Subscription
from tests.api.conftest import errors_of, post_json
from tests.conftest import post
from tests.notifications.conftest import ORIGIN, free_port, point_django_at
from tests.test_html import check_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")


ANNA = "anna@example.org"


def followed(article, *, confirmed: bool = True, email: str = ANNA) -> Comment:
    comment = post(article, "Tell me of replies.", author_email=email, notify_replies=True)
    if confirmed:
        Address.objects.filter(key=links.address_key(email)).update(status=Address.Status.CONFIRMED)
        Message.objects.filter(kind=Message.Kind.CONFIRMATION).delete()  # as if sent
    return comment


def path_of(url: str) -> str:
    return url.removeprefix(links.site_url())


def test_api_opt_in_needs_an_address_and_a_boolean(client, article):
    missing = post_json(client, article, {"author_name": "A", "body": "x", "notify_replies": True})
    assert missing.status_code == 400
    assert errors_of(missing) == {
        "author_email": ["Give your e-mail address to be told of replies, or untick the box."]
    }
    wrong = post_json(
        client, article,
        {"author_name": "A", "author_email": ANNA, "body": "x", "notify_replies": "yes"},
    )  # fmt: skip
    assert errors_of(wrong) == {"notify_replies": ["Must be true or false."]}
    assert not Comment.objects.exists()
    posted = post_json(
        client, article,
        {"author_name": "A", "author_email": ANNA, "body": "x", "notify_replies": True},
    )  # fmt: skip
    assert posted.status_code == 201
    assert Subscription.objects.filter(comment_id=posted.json()["id"]).exists()
    confirmation = Message.objects.get()
    assert (confirmation.kind, confirmation.recipient) == (Message.Kind.CONFIRMATION, ANNA)


def test_imported_replies_announce_nothing_even_when_approved_later(article, moderator):
    parent = followed(article)
    now = timezone.now()
    records = [
        ImportedComment(
            article_id=article.pk, author_name="Old", body=text, body_html=f"<p>{text}</p>",
            created_at=now, status=status, parent_id=parent.pk, origin=f"wxr:site#{n}",
        )
        for n, (text, status) in enumerate([("Shown", "approved"), ("Held", "pending")])
    ]  # fmt: skip
    discussion_actions.import_comments(records)
    held = Comment.objects.get(body="Held")
    moderation_actions.approve(held, actor=moderator)
    assert not Message.objects.filter(kind=Message.Kind.REPLY).exists()
    # A reply posted here is announced: the parent's wish stands.
    post(article, "New here.", parent=parent)
    assert Message.objects.filter(kind=Message.Kind.REPLY).count() == 1


def test_a_message_is_claimed_by_one_sender_only(article):
    parent = followed(article)
    post(article, "Hi", parent=parent)
    message = Message.objects.get(kind=Message.Kind.REPLY)
    first = outbox._claim(message.pk, retry_now=False)
    second = outbox._claim(message.pk, retry_now=False)
    assert first is not None and first.attempts == 1
    assert second is None


def test_a_message_that_keeps_failing_is_given_up_with_a_log_line(
    article, settings, caplog, django_capture_on_commit_callbacks
):
    point_django_at(settings, free_port())  # nothing listens
    settings.BROADSHEET_MAIL_MAX_ATTEMPTS = 2
    parent = followed(article)
    with django_capture_on_commit_callbacks(execute=True):
        post(article, "Hi", parent=parent)
    message = Message.objects.get(kind=Message.Kind.REPLY)
    assert (message.status, message.attempts) == (Message.Status.QUEUED, 1)
    with caplog.at_level(logging.ERROR, logger="broadsheet.notifications.outbox"):
        counts = outbox.send_due(retry_now=True)
    assert counts["given up"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, 2)
    assert f"Gave up e-mail #{message.pk} (reply notice) after 2 attempts" in caplog.text
    assert outbox.send_due(retry_now=True) == {}


def test_a_notice_whose_reply_was_taken_back_before_sending_is_dropped(article, moderator):
    parent = followed(article)
    reply = post(article, "Oops", parent=parent)
    moderation_actions.mark_spam(reply, actor=moderator)
    assert outbox.send_due() == {"dropped": 1}
    assert not Message.objects.exists()


def forged(token: str) -> str:
    head, _, signature = token.rpartition(":")
    return f"{head}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize("kind", ["confirm", "stop comment", "stop address"])
def test_forged_links_are_refused_with_a_clear_page_and_change_nothing(client, article, kind):
    parent = followed(article, confirmed=False)
    key = links.address_key(ANNA)
    url = {
        "confirm": links.confirm_url(key),
        "stop comment": links.stop_comment_url(parent.pk),
        "stop address": links.stop_address_url(key),
    }[kind]
    bad = forged(path_of(url))
    for method in (client.get, client.post):
        response = method(bad)
        assert response.status_code == 400
        assert "not one this site made" in response.content.decode()
        check_page(response.content.decode())
    # A good token of one kind is no token of the other.
    token = url.rsplit("/", 1)[1]
    other = "/mail/stop/" if kind == "confirm" else "/mail/confirm/"
    assert client.post(other + token).status_code == 400
    assert Address.objects.get().status == Address.Status.UNCONFIRMED
    assert Subscription.objects.filter(comment=parent).exists()


def test_an_expired_confirmation_link_is_refused_and_changes_nothing(
    client, article, settings, monkeypatch
):
    followed(article, confirmed=False)
    settings.BROADSHEET_MAIL_CONFIRM_DAYS = 7
    eight_days_ago = time.time() - 8 * 24 * 3600
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: eight_days_ago)
        old = path_of(links.confirm_url(links.address_key(ANNA)))
    response = client.post(old)
    assert response.status_code == 400
    assert "more than 7 days old" in response.content.decode()
    assert Address.objects.get().status == Address.Status.UNCONFIRMED


def test_confirmations_again_after_the_interval_not_before(article, settings):
    settings.BROADSHEET_MAIL_CONFIRM_INTERVAL_HOURS = 24
    followed(article, confirmed=False)
    followed(article, confirmed=False)
    assert Message.objects.count() == 1
    Address.objects.update(confirmation_sent_at=timezone.now() - timezone.timedelta(hours=25))
    followed(article, confirmed=False)
    assert Message.objects.count() == 2


def test_the_pages_behind_the_links_are_valid_html(client, article):
    parent = followed(article, confirmed=False)
    key = links.address_key(ANNA)
    pages = [
        client.get(path_of(links.confirm_url(key))),
        client.post(path_of(links.confirm_url(key))),
        client.get(path_of(links.stop_comment_url(parent.pk))),
        client.post(path_of(links.stop_comment_url(parent.pk))),
        client.get(path_of(links.stop_address_url(key))),
        client.post(path_of(links.stop_address_url(key))),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        check_page(response.content.decode())


def test_the_form_with_the_box_ticked_and_no_address_is_valid_html(client, article):
    response = client.post(
        f"/article/{article.slug}/comments",
        {"author_name": "Anna", "body": "Hello", "notify_replies": "on"},
        **ORIGIN,
    )
    assert response.status_code == 400
    doc = check_page(response.content.decode())
    box = doc.find(".//input[@name='notify_replies']")
    assert box is not None and box.get("checked") is not None  # kept ticked to mend
    email = doc.find(".//input[@name='author_email']")
    assert email is not None and email.get("aria-invalid") == "true"


def test_a_second_client_cannot_read_the_address_from_a_link(article):
    followed(article, confirmed=False)
    for url in (links.confirm_url(links.address_key(ANNA)), links.stop_comment_url(1)):
        token = url.rsplit("/", 1)[1]
        assert ANNA not in signing.b64_decode(token.split(":")[0].lstrip(".").encode()).decode(
            "latin-1"
        )


def test_links_use_the_site_url_when_set(settings, db):
    settings.BROADSHEET_SITE_URL = "https://news.example.org"
    assert links.stop_comment_url(5).startswith("https://news.example.org/mail/stop/")
    assert Client().get(path_of(links.stop_comment_url(5))).status_code == 200


def test_a_reply_notice_links_to_the_site_in_full(article, settings):
    from broadsheet.notifications import compose

    settings.BROADSHEET_SITE_URL = "https://news.example.org"
    parent = post(article, "First", author_email="ann@example.org")
    reply = post(article, f"[as you said](/c/{parent.pk}) and [elsewhere](https://x.example/)")
    html = compose.reply_notice(parent, reply, "ann@example.org").html
    assert f'href="https://news.example.org/c/{parent.pk}"' in html
    assert 'href="https://x.example/"' in html
