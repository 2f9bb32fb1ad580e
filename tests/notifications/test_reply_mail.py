"""Reply e-mails end to end: a reader opts in on the form, confirms, and is told of
replies, through a real SMTP server. Transactional tests: mail goes out after commit,
once the request is answered, as it does on the site."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from html5lib._inputstream import invalid_unicode_re

from broadsheet.discussion.forms import form_stamp
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import SiteSettings
from broadsheet.notifications.models import Address, Message, Subscription
from tests.notifications.conftest import ORIGIN, body_of, link_in, one_click, web_post

pytestmark = pytest.mark.django_db(transaction=True)

ANNA = "anna@example.org"


def opt_in(client: Client, article, body: str = "First!", email: str = ANNA, **fields) -> Comment:
    return web_post(
        client, article, body, author_name="Anna", author_email=email, notify_replies="on",
        **fields,
    )  # fmt: skip


def confirm_from(mailbox, client: Client | None = None) -> None:
    """Follow the confirmation link the way a reader does: open it, press the button."""
    client = client or Client()
    path = link_in(mailbox.messages[-1], "/mail/confirm/")
    page = client.get(path)
    assert page.status_code == 200 and b"<button" in page.content
    assert client.post(path).status_code == 200


def reply(client: Client, article, parent: Comment, body: str = "I disagree.", **fields):
    fields.setdefault("author_name", "Ben")
    fields.setdefault("author_email", "ben@example.org")
    return web_post(client, article, body, parent_id=str(parent.pk), **fields)


def test_opting_in_without_an_address_is_refused_and_stores_nothing(client, article, smtp):
    response = client.post(
        f"/article/{article.slug}/comments",
        {"author_name": "Anna", "body": "Hello", "notify_replies": "on"},
        **ORIGIN,
    )
    assert response.status_code == 400
    assert "Give your e-mail address to be told of replies" in response.content.decode()
    assert not Comment.objects.exists() and not Subscription.objects.exists()
    assert smtp.messages == []


def test_the_box_is_off_by_default_and_nothing_is_sent_without_it(client, article, smtp):
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="notify_replies"' in page
    assert 'name="notify_replies" id="id_notify_replies" checked' not in page
    web_post(client, article, "Quiet.", author_email=ANNA)
    assert not Subscription.objects.exists() and smtp.messages == []


def test_first_opt_in_sends_one_confirmation_and_no_notice_before_it(client, article, smtp):
    first = opt_in(client, article)
    opt_in(client, article, "Second, same address in capitals.", email=ANNA.upper())
    assert len(smtp.messages) == 1
    confirmation = smtp.messages[0]
    assert smtp.recipients == [[ANNA]]
    assert confirmation["Subject"] == "Confirm e-mail about replies on Broadsheet"
    assert "/mail/confirm/" in body_of(confirmation)
    assert confirmation["List-Unsubscribe"].strip().startswith("<http://testserver/mail/stop/")
    # A reply shown before the address is confirmed is not announced, then or later.
    reply(Client(), article, first)
    assert len(smtp.messages) == 1
    confirm_from(smtp)
    assert len(smtp.messages) == 1
    assert Address.objects.get().status == Address.Status.CONFIRMED
    # The address is stored only as a keyed hash.
    assert ANNA not in Address.objects.get().key


def test_confirmed_address_is_told_once_of_a_reply_with_links_and_headers(client, article, smtp):
    parent = opt_in(client, article)
    confirm_from(smtp)
    answer = reply(Client(), article, parent, "Not so fast.\n\nSecond paragraph.")
    assert answer.status == Comment.Status.APPROVED
    notices = smtp.messages[1:]
    assert len(notices) == 1
    notice = notices[0]
    assert smtp.recipients[-1] == [ANNA]
    assert notice["To"] == ANNA
    assert notice["From"] == "Broadsheet <news@example.org>"
    assert notice["Subject"].strip() == "Ben replied to your comment on “Hello world”"
    text = body_of(notice)
    assert "Not so fast.\n\nSecond paragraph." in text
    assert f"http://testserver/c/{answer.pk}" in text
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = notice["List-Unsubscribe"].strip()
    assert unsubscribe.startswith("<http://testserver/mail/stop/") and unsubscribe.endswith(">")
    assert notice["Auto-Submitted"] == "auto-generated"
    html = notice.get_body(preferencelist=("html",))
    assert html is not None and f'href="http://testserver/c/{answer.pk}"' in html.get_content()
    # The permalink leads to the reply.
    response = Client().get(f"/c/{answer.pk}")
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{answer.pk}")
    # Once sent, the outbox keeps neither the address nor the words.
    sent = Message.objects.get(kind=Message.Kind.REPLY)
    assert sent.status == Message.Status.SENT
    assert (sent.recipient, sent.text, sent.html) == ("", "", "")


def test_held_reply_is_announced_when_approved_from_the_queue_and_only_once(
    client, article, smtp, site
):
    parent = opt_in(client, article)
    confirm_from(smtp)
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    held = reply(Client(), article, parent)
    assert held.status == Comment.Status.PENDING
    assert len(smtp.messages) == 1  # the confirmation only

    moderator = Client()
    moderator.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    decide = f"/moderation/{held.pk}/decide"
    assert moderator.post(decide, {"action": "approve"}).status_code == 302
    assert len(smtp.messages) == 2
    assert smtp.messages[1]["Subject"].strip() == "Ben replied to your comment on “Hello world”"
    # Taken back and approved again: still one notice.
    assert moderator.post("/moderation/undo", {}).status_code == 302
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.PENDING
    assert moderator.post(decide, {"action": "approve"}).status_code == 302
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.APPROVED
    assert len(smtp.messages) == 2


def test_spam_and_rejected_replies_are_never_announced(client, article, smtp):
    parent = opt_in(client, article)
    confirm_from(smtp)
    spam = reply(Client(), article, parent, "Cheap pills", homepage="http://spam.example")
    assert spam.status == Comment.Status.SPAM
    moderator = Client()
    moderator.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    pending = reply(Client(), article, parent, "Another.")
    moderator.post(f"/moderation/{pending.pk}/decide", {"action": "reject"})
    moderator.post(f"/moderation/{spam.pk}/decide", {"action": "spam"})
    assert len(smtp.messages) == 2  # the confirmation, and the notice of the approved one
    assert "Another." in body_of(smtp.messages[1])
    assert "Cheap pills" not in "".join(body_of(m) for m in smtp.messages)


def test_replying_to_oneself_sends_nothing(client, article, smtp):
    parent = opt_in(client, article)
    confirm_from(smtp)
    reply(Client(), article, parent, "Adding to my own point.", author_email=" Anna@Example.org ")
    assert len(smtp.messages) == 1


def test_one_click_unsubscribe_works_by_post_without_session_or_csrf(client, article, smtp):
    parent = opt_in(client, article)
    confirm_from(smtp)
    reply(Client(), article, parent)
    response = one_click(smtp.messages[-1])
    assert response.status_code == 200
    assert not Subscription.objects.filter(comment=parent).exists()
    reply(Client(), article, parent, "Anyone there?")
    assert len(smtp.messages) == 2
    # Replies to her other comments still reach her (the address stays confirmed).
    other = opt_in(client, article, "Another thought.")
    reply(Client(), article, other, "Yes?")
    assert len(smtp.messages) == 3


def test_stopping_all_mail_stops_confirmations_too_until_the_owner_asks_again(
    client, article, smtp
):
    opt_in(client, article)
    stop_all = link_in(smtp.messages[0], "/mail/stop/")
    page = Client().get(stop_all)
    assert page.status_code == 200 and "Stop all e-mail" in page.content.decode()
    stopped = Client().post(stop_all)
    assert stopped.status_code == 200
    assert Address.objects.get().status == Address.Status.STOPPED
    # A new opt-in, a day later and by anyone, sends nothing and keeps no wish.
    Address.objects.update(confirmation_sent_at=None)
    again = opt_in(client, article, "Try again.")
    assert len(smtp.messages) == 1
    assert not Subscription.objects.filter(comment=again).exists()
    # The owner changes their mind with the button on the page that said it stopped.
    resume = stopped.content.decode().split('action="/mail/', 1)[1].split('"', 1)[0]
    resume = f"/mail/{resume}"  # its form, not the masthead's search
    assert Client().post(resume).status_code == 200
    assert Address.objects.get().status == Address.Status.CONFIRMED


def test_smtp_server_down_keeps_the_notice_and_the_command_sends_it_later(
    client, article, smtp, settings
):
    from tests.notifications.conftest import free_port, start_server

    parent = opt_in(client, article)
    confirm_from(smtp)
    down = free_port()  # nothing listens there
    settings.EMAIL_PORT = down
    answer = reply(Client(), article, parent, "Posted while the mail server was down.")
    assert answer.status == Comment.Status.APPROVED  # the reply itself went through
    queued = Message.objects.get(kind=Message.Kind.REPLY)
    assert queued.status == Message.Status.QUEUED
    assert queued.attempts == 1 and "Connection" in queued.last_error
    assert queued.recipient == ANNA

    controller, back = start_server(down)
    try:
        call_command("mail", "send")  # still waiting its turn after the failure
        assert back.messages == []
        call_command("mail", "send", "--retry-now")
        assert len(back.messages) == 1
        assert "Posted while the mail server was down." in body_of(back.messages[0])
        call_command("mail", "send", "--retry-now")
        assert len(back.messages) == 1
    finally:
        controller.stop()
    assert Message.objects.get(pk=queued.pk).status == Message.Status.SENT


def test_names_and_texts_in_any_script_arrive_intact(client, article, smtp):
    article.title = "חדשות 📰 היום"
    article.save()
    parent = opt_in(client, article)
    confirm_from(smtp)
    body = "שלום! תגובה עם אמוג׳י 🎉👍🏽 and e\u0301 (combining)"
    reply(Client(), article, parent, body, author_name="דנה 🌻", author_email="dana@example.org")
    notice = smtp.messages[-1]
    assert notice["Subject"].strip() == "דנה 🌻 replied to your comment on “חדשות 📰 היום”"
    assert body in body_of(notice)
    assert body in notice.get_body(preferencelist=("html",)).get_content()


def test_signed_in_readers_account_address_counts_as_confirmed(client, article, smtp):
    reader = get_user_model().objects.create_user("rina", "rina@example.org", "pw")
    client.force_login(reader)
    page = client.get(article.get_absolute_url())
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/article/{article.slug}/comments",
        {
            "body": "Signed in.",
            "notify_replies": "on",
            "csrfmiddlewaretoken": token,
            "stamp": form_stamp(),
        },
        **ORIGIN,
    )
    assert response.status_code == 302
    parent = Comment.objects.latest("pk")
    reply(Client(), article, parent)
    assert smtp.recipients == [["rina@example.org"]]  # no confirmation: the notice only
    assert "I disagree." in body_of(smtp.messages[0])


def test_signed_in_reader_without_an_address_is_told_so(client, article, smtp):
    client.force_login(get_user_model().objects.create_user("nomail", "", "pw"))
    token = client.get(article.get_absolute_url()).cookies["csrftoken"].value
    response = client.post(
        f"/article/{article.slug}/comments",
        {"body": "Hi.", "notify_replies": "on", "csrfmiddlewaretoken": token},
        **ORIGIN,
    )
    assert response.status_code == 400
    assert "Your account has no e-mail address" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_reply_holding_characters_html_forbids_is_told_without_them(client, article, smtp):
    """Names, titles and text quoted in an e-mail are replaced as a page replaces them
    (docs/reading.md): a vertical tab breaks the line, any other becomes U+FFFD."""
    from tests.test_html import EVERY_FORBIDDEN, SHOWN, parse

    SiteSettings.objects.filter(pk=1).update(site_name=f"Paper{EVERY_FORBIDDEN}")
    type(article).objects.filter(pk=article.pk).update(title=f"Hello{EVERY_FORBIDDEN}")
    first = opt_in(client, article)
    confirm_from(smtp)
    reply(Client(), article, first, f"No{EVERY_FORBIDDEN}way.")
    notice = smtp.messages[-1]
    text = body_of(notice)
    page = notice.get_body(preferencelist=("html",)).get_content()
    subject = notice["Subject"]
    for said in (subject, text, page):
        assert not invalid_unicode_re.search(said), said
    assert f"on “Hello {SHOWN[1:]}”" in subject  # on one line
    assert f"No{SHOWN}way." in text
    parse(page)


SENT = "We have sent a message to check your address: follow its link to start the e-mails."
WAITING = "We sent a message to check your address a little while ago"
ON = "Replies to this comment will be e-mailed to you."


def landing(client: Client, article, body: str, **fields) -> tuple[str, str]:
    """The page a reader lands on after posting, and the address they were sent to."""
    data = {"author_name": "Anna", "body": body, "stamp": form_stamp(), **fields}
    response = client.post(f"/article/{article.slug}/comments", data, **ORIGIN)
    assert response.status_code == 302, response.content
    return client.get(response["Location"]).content.decode(), response["Location"]


def test_the_page_after_posting_says_what_came_of_the_wish_for_reply_mail(client, article, smtp):
    page, location = landing(client, article, "First!", author_email=ANNA, notify_replies="on")
    assert len(smtp.messages) == 1  # the confirmation, said as sent
    assert SENT in page and ON not in page
    # Said on the reader's own page only: the copy everyone else gets says nothing.
    shared = Client().get(location)
    assert "public" in shared["Cache-Control"] and SENT not in shared.content.decode()
    # None sent again so soon: the page does not claim one was.
    page, _ = landing(client, article, "Second.", author_email=ANNA, notify_replies="on")
    assert len(smtp.messages) == 1
    assert WAITING in page and SENT not in page
    confirm_from(smtp)
    page, _ = landing(client, article, "Third.", author_email=ANNA, notify_replies="on")
    assert len(smtp.messages) == 1
    assert ON in page and SENT not in page and WAITING not in page
    # Said under the comment just posted, not under the reader's earlier ones.
    third = Comment.objects.get(body="Third.")
    assert page.index(ON) > page.index(f'id="{third.anchor}"')
    assert page.count(ON) == 1
    page, location = landing(client, article, "Quiet.", author_email=ANNA)
    assert "mail=" not in location
    assert ON not in page and SENT not in page and WAITING not in page


def test_the_page_after_posting_says_nothing_of_mail_to_an_address_that_stopped_it(
    client, article, smtp
):
    opt_in(client, article)
    one_click(smtp.messages[-1])
    page, location = landing(client, article, "Again.", author_email=ANNA, notify_replies="on")
    assert len(smtp.messages) == 1 and "mail=" not in location
    assert SENT not in page and ON not in page and WAITING not in page


def test_a_link_cannot_make_a_readers_page_claim_what_did_not_happen(client, article, smtp):
    """``?mail=`` is signed with the comment it is said under: a link that writes its own
    (as the values are named in the docs), or moves a real one to another comment or
    another reader, says nothing."""
    page, location = landing(client, article, "Quiet.", author_email=ANNA)
    assert "mail=" not in location and ON not in page
    url = location.split("#")[0]
    for forged in ("on", "sent", "waiting", "on.1", "x"):
        forged_page = client.get(url, {"mail": forged}).content.decode()
        assert ON not in forged_page and SENT not in forged_page and WAITING not in forged_page
    # A real one, for another reader's comment, says nothing on this reader's page.
    _, theirs = landing(Client(), article, "Mine.", author_email=ANNA, notify_replies="on")
    said = parse_qs(urlsplit(theirs).query)["mail"][0]
    assert SENT not in client.get(url, {"mail": said}).content.decode()


# -- nothing is sent for a comment nobody can see ----------------------------------------

LATER = "Once your comment is published, we will send a message to check your address"


def test_a_held_comment_asks_for_the_address_only_once_published(client, article, smtp, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    page, _ = landing(client, article, "Held.", author_email=ANNA, notify_replies="on")
    held = Comment.objects.get(body="Held.")
    assert held.status == Comment.Status.PENDING
    assert smtp.messages == [] and LATER in page and SENT not in page
    moderator = Client()
    moderator.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    assert moderator.post(f"/moderation/{held.pk}/decide", {"action": "approve"}).status_code == 302
    assert len(smtp.messages) == 1 and smtp.recipients == [[ANNA]]
    assert "/mail/confirm/" in body_of(smtp.messages[0])
    # Taken back and published again: not asked twice.
    assert moderator.post("/moderation/undo", {}).status_code == 302
    assert moderator.post(f"/moderation/{held.pk}/decide", {"action": "approve"}).status_code == 302
    assert len(smtp.messages) == 1
    # Once confirmed, a reply to it is told as to any other.
    confirm_from(smtp)
    site.comment_policy = SiteSettings.CommentPolicy.PUBLISH
    site.save()
    reply(Client(), article, held)
    assert len(smtp.messages) == 2 and "replied to your comment" in smtp.messages[1]["Subject"]


def test_spam_sends_nothing_and_its_page_says_what_a_held_comments_does(
    client, article, smtp, site
):
    """A bot that fills in the field hidden from people, with a stranger's address, has
    the site send that stranger nothing; the poster is told what any held comment's
    author is told, so the page does not say the filter caught it."""
    spam_page, _ = landing(
        client, article, "Cheap pills", author_email=ANNA, notify_replies="on",
        homepage="http://spam.example",
    )  # fmt: skip
    assert Comment.objects.get(body="Cheap pills").status == Comment.Status.SPAM
    assert smtp.messages == [] and LATER in spam_page and SENT not in spam_page
    moderator = Client()
    moderator.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    spam = Comment.objects.get(body="Cheap pills")
    assert moderator.post(f"/moderation/{spam.pk}/decide", {"action": "reject"}).status_code == 302
    assert smtp.messages == []
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    held_page, _ = landing(Client(), article, "Fair point.", author_email="bo@example.org",
                           notify_replies="on")  # fmt: skip
    assert LATER in held_page and smtp.messages == []


def test_the_api_sends_nothing_for_a_held_comment_either(client, article, smtp, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    payload = {"author_name": "Anna", "author_email": ANNA, "body": "Via the API.",
               "notify_replies": True}  # fmt: skip
    response = client.post(f"/api/v1/articles/{article.slug}/comments", payload, "application/json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert smtp.messages == [] and Subscription.objects.count() == 1


def test_a_bot_spelling_a_strangers_address_many_ways_has_them_sent_one_confirmation(
    client, article, smtp
):
    # Clean comments, published at once, each with another spelling of one inbox.
    for n, email in enumerate([
        "dana+1@gmail.com", "dana+news@gmail.com", "d.a.n.a@gmail.com", "DANA@googlemail.com",
        "dana@gmail.com",
    ]):  # fmt: skip
        comment = opt_in(client, article, f"A fair point, number {n}.", email=email)
        assert comment.status == Comment.Status.APPROVED
    assert len(smtp.messages) == 1 and smtp.recipients == [["dana+1@gmail.com"]]
    # Stopping all mail from that one message stops every spelling of the inbox.
    assert Client().post(link_in(smtp.messages[0], "/mail/stop/")).status_code == 200
    Address.objects.update(confirmation_sent_at=None)  # a day later
    opt_in(client, article, "And again.", email="dana+later@gmail.com")
    opt_in(client, article, "And again, plainly.", email="dana@gmail.com")
    assert len(smtp.messages) == 1
    # Other inboxes are others: a plus on another server, a dot elsewhere.
    opt_in(client, article, "Someone else.", email="d.ana@example.org")
    opt_in(client, article, "Someone else again.", email="dana@example.org")
    assert smtp.recipients[1:] == [["d.ana@example.org"], ["dana@example.org"]]


def test_a_reader_who_tags_their_address_confirms_it_and_is_told_of_replies_there(
    client, article, smtp
):
    tagged = "anna+broadsheet@example.org"
    parent = opt_in(client, article, email=tagged)
    confirm_from(smtp)
    reply(Client(), article, parent)
    assert smtp.recipients == [[tagged], [tagged]]
    assert smtp.messages[1]["Subject"].strip() == "Ben replied to your comment on “Hello world”"


def test_a_stop_kept_by_the_addresss_spelling_before_holds(client, article, smtp):
    from broadsheet.notifications.links import spelling_key

    # What an earlier version stored when the owner of this tagged address stopped all mail.
    Address.objects.create(key=spelling_key("ann+x@gmail.com"), status=Address.Status.STOPPED)
    opt_in(client, article, email="ann+x@gmail.com")
    opt_in(client, article, "Again.", email="ann@gmail.com")
    assert smtp.messages == []


def test_a_tagged_address_confirmed_when_kept_by_its_spelling_is_still_told_of_replies(
    client, article, smtp
):
    from broadsheet.notifications.links import spelling_key

    # What an earlier version stored: a followed comment, its address confirmed by spelling.
    parent = web_post(client, article, "Old.", author_name="Anna", author_email="anna+x@gmail.com")
    Subscription.objects.create(comment=parent)
    Address.objects.create(key=spelling_key("anna+x@gmail.com"), status=Address.Status.CONFIRMED)
    reply(Client(), article, parent)
    assert smtp.recipients == [["anna+x@gmail.com"]]


def test_a_stop_link_sent_when_addresses_were_kept_by_spelling_still_stops_the_inbox(
    client, article, smtp
):
    """An e-mail sent by an earlier version names the address by its spelling in its
    "stop all e-mail" link: pressed after the inbox has a state of its own (its owner
    posted since), it stops the mail, where the inbox's "confirmed" went on being read."""
    from broadsheet.notifications.links import spelling_key, stop_path

    old = web_post(client, article, "Old.", author_name="Anna", author_email="anna+x@gmail.com")
    Subscription.objects.create(comment=old)
    Address.objects.create(key=spelling_key("anna+x@gmail.com"), status=Address.Status.CONFIRMED)
    parent = opt_in(client, article, "New.", email="anna+x@gmail.com")  # the inbox's own row
    assert Address.objects.count() == 2 and smtp.messages == []
    assert Client().post(stop_path({"a": spelling_key("anna+x@gmail.com")})).status_code == 200
    reply(Client(), article, parent)
    reply(Client(), article, old, "Me too.")
    assert smtp.messages == []
    # Given again with the box ticked, the stop holds: no wish is kept.
    again = opt_in(client, article, "Once more.", email="anna+x@gmail.com")
    assert not Subscription.objects.filter(comment=again).exists()
