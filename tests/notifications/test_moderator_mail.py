"""Moderators e-mailed about comments that wait for review, through a real SMTP server:
at once, or in a digest sent when due; never about spam, staff or imports; stopped by
one click. Transactional tests: mail goes out after commit, as it does on the site."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation_actions
from broadsheet.moderation.apps import MODERATORS
from broadsheet.moderation.models import ModerationSettings
from broadsheet.newsroom.models import SiteSettings
from broadsheet.notifications import actions, compose, outbox
from broadsheet.notifications.models import DigestItem, Message, ModeratorChoice
from tests.api.conftest import Clock
from tests.conftest import post
from tests.notifications.conftest import (
    body_of,
    free_port,
    link_in,
    one_click,
    start_server,
    web_post,
)
from tests.test_html import check_page

pytestmark = pytest.mark.django_db(transaction=True)

Notices = ModeratorChoice.Notices
EACH = "each@example.org"
DIGEST = "digest@example.org"
NOTICES = "/moderation/notices/"


def moderator(name: str, email: str, notices: str | None = None, **fields):
    """A staff account in the Moderators group, as an operator sets one up."""
    user = get_user_model().objects.create_user(
        name, email=email, password="pw", is_staff=True, **fields
    )
    user.groups.add(Group.objects.get(name=MODERATORS))
    if notices is not None:
        actions.set_notices(user, notices)
    return user


@pytest.fixture
def team(db):
    """One moderator told at once, one who never chose (a digest), one who chose never."""
    return {
        "each": moderator("eve", EACH, Notices.EACH),
        "digest": moderator("dan", DIGEST),
        "never": moderator("nat", "never@example.org", Notices.NEVER),
    }


@pytest.fixture
def holding(site) -> SiteSettings:
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    return site


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def later(clock: Clock, minutes: float) -> None:
    clock.set(timezone.now() + timedelta(minutes=minutes))


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def heading_levels(html: str) -> list[str]:
    return re.findall(r"<(h[1-6])\b", html)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_held_comment_is_mailed_at_once_to_who_asked_with_its_link(
    client, article, smtp, team, holding
):
    held = web_post(client, article, "Is the ferry running on Sunday?", author_name="Anna")
    assert held.status == Comment.Status.PENDING
    assert smtp.recipients == [[EACH]]  # the digest is not due; "never" gets nothing
    notice = smtp.messages[0]
    assert notice["Subject"].strip() == "Held for review: Anna on “Hello world”"
    text = body_of(notice)
    assert "Is the ferry running on Sunday?" in text
    assert "The site holds every comment for review." in text  # the stored reason
    assert f"http://testserver/moderation/{held.pk}/" in text
    assert "http://testserver/moderation/notices/" in text
    assert f'href="http://testserver/moderation/{held.pk}/"' in html_of(notice)
    # Headed as a page is: one <h1>, under which the comment's own heading stands.
    assert heading_levels(html_of(notice)) == ["h1", "h2"]
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notice["List-Unsubscribe"].strip().startswith("<http://testserver/mail/stop/")
    # The link opens the comment in the queue, for the moderator signed in.
    response = signed_in(team["each"]).get(link_in(notice, f"/moderation/{held.pk}/"))
    assert response.status_code == 302 and response["Location"].endswith(f"#q-{held.pk}")
    # One e-mail per comment: more comments, one e-mail each, none twice.
    web_post(client, article, "Second.", author_name="Ben")
    assert len(smtp.messages) == 2
    call_command("mail", "send", "--retry-now")
    assert len(smtp.messages) == 2


def test_a_held_name_that_turns_text_around_stays_inside_the_notice(
    client, article, smtp, team, holding
):
    """A name that opens a right-to-left override is said as an isolate in the
    subject and the text (tests/test_direction_overrides.py), whose end closes it."""
    web_post(client, article, "Is the ferry running?", author_name="Zed\u202e")
    notice = smtp.messages[0]
    said = "\u2068Zed\u202e\u2069 on “Hello world”"
    assert notice["Subject"].strip() == f"Held for review: {said}"
    assert said in body_of(notice)


def test_digest_waits_until_due_then_lists_every_comment_that_came(
    client, article, smtp, team, holding, clock
):
    long_text = "Long. " * 100
    comments = [
        web_post(client, article, "First held.", author_name="Anna"),
        web_post(client, article, long_text, author_name="Ben"),
        web_post(client, article, "Third held.", author_name="Cleo"),
    ]
    smtp.messages.clear()
    smtp.recipients.clear()  # the at-once moderator's three
    call_command("mail", "send")
    call_command("mail", "send", "--retry-now")  # a digest not due is not "retried"
    later(clock, 59)
    call_command("mail", "send")
    assert smtp.messages == []

    later(clock, 2)  # 61 minutes after the first comment came
    call_command("mail", "send")
    assert smtp.recipients == [[DIGEST]]
    digest = smtp.messages[0]
    assert digest["Subject"].strip() == "3 comments wait for review on Broadsheet"
    text = body_of(digest)
    for comment in comments:
        assert f"http://testserver/moderation/{comment.pk}/" in text
    assert "Pending: 3 new, 3 in all" in text
    assert "http://testserver/moderation/?tab=pending" in text
    assert text.index("Anna") < text.index("Ben") < text.index("Cleo")
    # The first ~300 characters of a long text, cut with an ellipsis.
    assert long_text[:290] in text and long_text.strip() not in text and "…" in text
    assert "at most one every 60 minutes" in text
    assert html_of(digest).count("Moderate it</a>") == 3
    assert heading_levels(html_of(digest)) == ["h1", "h2", "h2", "h2"]
    assert not DigestItem.objects.exists()  # what it listed is not kept

    # The next comment starts the next digest, due an interval after it came.
    web_post(client, article, "Fourth.", author_name="Dora")
    later(clock, 30)
    call_command("mail", "send")
    assert smtp.recipients.count([DIGEST]) == 1
    later(clock, 31)
    call_command("mail", "send")
    assert smtp.recipients.count([DIGEST]) == 2
    assert "1 comment waits for review" in smtp.messages[-1]["Subject"]


def test_comment_decided_before_the_digest_went_is_left_out(article, smtp, team, holding, clock):
    first = post(article, "Will be approved.", author_name="Anna")
    post(article, "Still waits.", author_name="Ben")
    moderation_actions.approve(first, actor=team["each"])
    later(clock, 61)
    call_command("mail", "send")
    digest = smtp.to(DIGEST)
    assert len(digest) == 1
    text = body_of(digest[0])
    assert "Still waits." in text and "Will be approved." not in text
    assert "1 more came and was decided by a moderator before this e-mail went." in text

    # A digest whose comments were all decided is not sent at all.
    last = post(article, "Soon decided.", author_name="Cleo")
    moderation_actions.reject(last, actor=team["each"])
    later(clock, 61)
    call_command("mail", "send")
    assert len(smtp.to(DIGEST)) == 1
    assert not Message.objects.filter(kind=Message.Kind.DIGEST, status="queued").exists()


def test_spam_staff_and_imported_comments_are_announced_to_nobody(
    client, article, smtp, team, holding, clock
):
    spam = web_post(client, article, "Cheap pills", homepage="http://spam.example")
    assert spam.status == Comment.Status.SPAM
    # Staff are never held; hidden by readers' reports, a staff comment is not announced.
    rules = ModerationSettings.load()
    rules.reports_to_hide = 1
    rules.save()
    staff = post(article, "From the desk.", user=team["digest"], author_name="dan")
    assert staff.status == Comment.Status.APPROVED
    moderation_actions.report(staff, reason="abuse", reporter_key="r1")
    assert Comment.objects.get(pk=staff.pk).status == Comment.Status.PENDING
    # Imported held comments, and the demo's posts (the "import" channel), neither.
    discussion_actions.import_comments(
        [
            ImportedComment(
                article_id=article.pk, author_name="Old", body="Held in WordPress.",
                body_html="<p>Held in WordPress.</p>", created_at=timezone.now(),
                status="pending", origin="wxr:site#1",
            )
        ]
    )  # fmt: skip
    demo = post(article, "Demo text.", channel="import")
    assert demo.status == Comment.Status.PENDING
    later(clock, 120)
    call_command("mail", "send")
    assert smtp.messages == []
    assert not Message.objects.exists()


def test_only_active_staff_who_may_moderate_and_have_an_address_are_told(
    client, article, smtp, holding
):
    users = get_user_model().objects
    told = moderator("ok", "ok@example.org", Notices.EACH)
    moderator("noaddress", "", Notices.EACH)
    moderator("gone", "gone@example.org", Notices.EACH, is_active=False)
    users.create_user("writer", "writer@example.org", "pw", is_staff=True)  # no permission
    member = users.create_user("member", "member@example.org", "pw")  # the group, not staff
    member.groups.add(Group.objects.get(name=MODERATORS))
    actions.set_notices(member, Notices.EACH)
    boss = users.create_superuser("boss", "boss@example.org", "pw")  # superusers moderate
    actions.set_notices(boss, Notices.EACH)
    web_post(client, article, "Held.")
    assert sorted(r[0] for r in smtp.recipients) == ["boss@example.org", told.email]


def test_who_stops_moderating_or_wanting_before_the_digest_goes_gets_nothing(
    article, smtp, holding, clock
):
    leaving = moderator("leaving", "leaving@example.org")
    changing = moderator("changing", "changing@example.org")
    staying = moderator("staying", "staying@example.org")
    post(article, "Held.")
    leaving.groups.clear()
    actions.set_notices(changing, Notices.NEVER)
    staying.email = "new-address@example.org"
    staying.save()
    later(clock, 61)
    call_command("mail", "send")
    assert smtp.recipients == [["new-address@example.org"]]  # the address it has now


def test_reports_tell_moderators_once_then_hiding_is_in_the_digest(
    client, article, smtp, team, clock
):
    rules = ModerationSettings.load()
    rules.reports_to_hide = 2
    rules.save()
    shown = post(article, "A heated remark.", author_name="Ray")
    assert shown.status == Comment.Status.APPROVED and smtp.messages == []
    moderation_actions.report(shown, reason="abuse", reporter_key="r1")
    assert smtp.recipients == [[EACH]]
    first = smtp.messages[0]
    assert first["Subject"].strip() == "Reported by a reader: Ray on “Hello world”"
    assert "Reported as abusive or hateful (1)" in body_of(first)
    # The second report hides it: the moderator told at once is not told again.
    moderation_actions.report(shown, reason="off_topic", reporter_key="r2")
    assert Comment.objects.get(pk=shown.pk).status == Comment.Status.PENDING
    assert len(smtp.messages) == 1
    # The digest lists it once, as hidden, in both tabs it is in.
    later(clock, 61)
    call_command("mail", "send")
    digest = smtp.to(DIGEST)
    assert len(digest) == 1
    text = body_of(digest[0])
    assert text.count("A heated remark.") == 1
    assert "Hidden after readers' reports" in text
    assert "Reported as off topic (1)" in text
    assert "Pending: 1 new, 1 in all" in text and "Reported: 1 new, 1 in all" in text

    # Kept by a moderator, then reported again: it waits anew, and is announced anew.
    moderation_actions.dismiss_reports(shown, actor=team["each"])
    moderation_actions.report(shown, reason="spam", reporter_key="r3")
    assert len(smtp.to(EACH)) == 2


def test_an_edit_that_takes_a_comment_back_for_review_is_announced(article, smtp, team):
    shown = post(article, "Nice piece.", author_name="Lin")
    assert shown.status == Comment.Status.APPROVED
    links = " ".join(f"https://example.com/{n}" for n in range(5))
    edited = discussion_actions.edit_comment(shown, f"Nice piece. {links}", token=shown._token)
    assert edited.status == Comment.Status.PENDING
    assert len(smtp.to(EACH)) == 1
    assert "Has 5 links (more than 2)." in body_of(smtp.to(EACH)[0])


def test_choice_page_saves_each_moderators_own_choice_without_javascript(team):
    eve = signed_in(team["digest"])
    page = eve.get(NOTICES)
    assert page.status_code == 200
    html = page.content.decode()
    check_page(html)
    assert 'value="digest" id="id_notices_1" checked' in html.replace("required ", "")
    assert "at most one e-mail every 60 minutes" in html
    saved = eve.post(NOTICES, {"notices": "each"})
    assert saved.status_code == 302 and saved["Location"] == NOTICES
    assert ModeratorChoice.objects.get(user=team["digest"]).notices == Notices.EACH
    assert "Saved: at once, for every comment." in eve.get(NOTICES).content.decode()
    # Another's choice is theirs.
    assert ModeratorChoice.objects.get(user=team["never"]).notices == Notices.NEVER
    # A value not offered is refused and changes nothing.
    bad = eve.post(NOTICES, {"notices": "hourly"})
    assert bad.status_code == 400
    check_page(bad.content.decode())
    assert ModeratorChoice.objects.get(user=team["digest"]).notices == Notices.EACH
    # The queue's navigation links here.
    assert f'href="{NOTICES}"' in eve.get("/moderation/").content.decode()


def test_choice_page_is_for_moderators_and_says_when_nothing_can_be_sent(db):
    writer = get_user_model().objects.create_user("w", "w@example.org", "pw", is_staff=True)
    assert signed_in(writer).get(NOTICES).status_code == 403
    assert Client().get(NOTICES).status_code == 302  # to the sign-in page
    page = signed_in(moderator("noaddress", "")).get(NOTICES).content.decode()
    assert "Your account has no e-mail address" in page


def test_one_click_unsubscribe_sets_never_for_that_moderator(client, article, smtp, team, holding):
    web_post(client, article, "Held.")
    unsubscribe = smtp.messages[0]["List-Unsubscribe"].strip().strip("<>")
    page = Client().get(unsubscribe)
    assert page.status_code == 200 and "Stop e-mail about the queue" in page.content.decode()
    check_page(page.content.decode())
    response = one_click(smtp.messages[0])
    assert response.status_code == 200
    assert "No more e-mail about the queue" in response.content.decode()
    assert ModeratorChoice.objects.get(user=team["each"]).notices == Notices.NEVER
    assert not ModeratorChoice.objects.filter(user=team["digest"]).exists()  # still a digest
    web_post(client, article, "Held again.")
    assert len(smtp.messages) == 1


def test_smtp_server_down_keeps_them_queued_and_mail_send_sends_them_later(
    client, article, smtp, team, holding, settings, clock
):
    down = free_port()
    settings.EMAIL_PORT = down
    held = web_post(client, article, "Posted while the mail server was down.")
    assert held.status == Comment.Status.PENDING
    notice = Message.objects.get(kind=Message.Kind.WAITING)
    assert (notice.status, notice.attempts) == (Message.Status.QUEUED, 1)
    later(clock, 61)
    call_command("mail", "send")  # the server is still down: the digest waits too
    assert smtp.messages == []
    assert set(Message.objects.values_list("kind", "status")) == {
        (Message.Kind.WAITING, Message.Status.QUEUED),
        (Message.Kind.DIGEST, Message.Status.QUEUED),
    }

    controller, back = start_server(down)
    try:
        call_command("mail", "send", "--retry-now")
        assert sorted(r[0] for r in back.recipients) == [DIGEST, EACH]
        assert all("Posted while the mail server was down." in body_of(m) for m in back.messages)
    finally:
        controller.stop()
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


def test_a_due_digest_goes_out_after_any_request(
    client, article, smtp, team, holding, clock, monkeypatch
):
    post(article, "Held while nobody runs cron.")
    monkeypatch.setattr(outbox, "_next_digest_look", 0.0)
    client.get("/")
    assert smtp.to(DIGEST) == []  # not due yet; the next look is a minute away
    later(clock, 61)
    client.get("/")
    assert smtp.to(DIGEST) == []
    monkeypatch.setattr(outbox, "_next_digest_look", 0.0)
    client.get("/")
    assert len(smtp.to(DIGEST)) == 1


def test_names_titles_and_texts_cannot_inject_headers_or_html(article, smtp, team, holding):
    article.title = "Budget <b>cuts</b>\nBcc: title@example.org"
    article.save()
    post(
        article,
        "<script>alert(1)</script> <img src=x onerror=alert(2)> שלום 🎉👍🏽 e\u0301",
        author_name="Eve\r\nBcc: evil@example.org <i>x</i>",
    )
    (notice,) = smtp.messages
    assert smtp.recipients == [[EACH]]
    assert notice["Bcc"] is None
    subject = notice["Subject"]
    assert "\n" not in subject and "Bcc: evil@example.org" in subject  # on the one line
    html = html_of(notice)
    assert "<script>" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "שלום 🎉👍🏽 e\u0301" in html and "שלום 🎉👍🏽 e\u0301" in body_of(notice)


@pytest.mark.parametrize(
    "text, cut",
    [
        ("a" * 299 + "e\u0301x", "a" * 299 + "…"),  # an accent stays on its letter
        ("a" * 298 + "👍🏽x", "a" * 298 + "👍🏽…"),
        ("a" * 299 + "👍🏽x", "a" * 299 + "…"),  # not a hand without its skin tone
        ("a" * 299 + "👩\u200d💻", "a" * 299 + "…"),  # nor half of a joined emoji
        ("short", "short"),
    ],
)
def test_excerpt_never_cuts_inside_a_character(text, cut):
    assert compose.excerpt(text) == cut


def test_mail_status_counts_the_moderators_kinds_in_aligned_columns(article, team, holding):
    from io import StringIO

    post(article, "Held.")
    out = StringIO()
    call_command("mail", "status", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Queued    Comment waiting 0" in lines  # sent at once, after commit
    assert "Queued    Queue digest    1" in lines
    assert len({line.rindex(" ") for line in lines if not line.startswith("Oldest")}) == 1
