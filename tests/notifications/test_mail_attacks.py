"""Names, titles and comments written to break an e-mail: through a real SMTP server,
no header is added, no one else is sent a copy, and the HTML part runs nothing.
Transactional tests: mail goes out after commit, as it does on the site."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.test import Client

from broadsheet.discussion.forms import form_stamp
from broadsheet.newsroom.models import SiteSettings
from tests.attacks import breakouts, corpus, script_risks
from tests.conftest import make_article
from tests.notifications.conftest import ORIGIN
from tests.notifications.test_moderator_mail import html_of, moderator
from tests.notifications.test_reply_mail import ANNA, confirm_from, opt_in

pytestmark = pytest.mark.django_db(transaction=True)

EVIL = "evil@evil.example"
# A header line break in every spelling a mail library or server might act on.
BREAKS = ["\r\n", "\n", "\r", "\u2028", "\x85", "\x0b", "\x0c", "\u0085\r\n "]
HEADERS = ["Bcc: " + EVIL, "X-Injected: yes", "Content-Type: text/html"]
STANDARD = {"subject", "from", "to", "date", "message-id", "mime-version", "content-type",
            "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post",
            "auto-submitted", "precedence", "x-auto-response-suppress"}  # fmt: skip


def hostile_names() -> list[str]:
    return [f"Ben{b}{h}" for b, h in zip(BREAKS, HEADERS * 3, strict=False)] + breakouts()[:3]


def posted(client: Client, article, name: str, body: str, **fields) -> bool:
    """Whether the form took the comment; a name with a line break is refused (400)."""
    data = {"author_name": name, "author_email": "", "body": body, "stamp": form_stamp()}
    response = client.post(f"/article/{article.slug}/comments", {**data, **fields}, **ORIGIN)
    assert response.status_code in (302, 400), response.status_code
    return response.status_code == 302


def assert_clean(message: EmailMessage) -> None:
    extra = {name.lower() for name in message} - STANDARD
    assert not extra, f"unexpected headers {extra}"
    for name, value in message.items():
        assert "\n" not in value.strip() and "\r" not in value.strip(), (name, value)
    assert not script_risks(html_of(message))


def test_reply_notices_carry_no_added_header_and_no_script(client, smtp):
    title = f"Ferry{BREAKS[0]}Bcc: {EVIL}</title><script>alert(1)</script>"
    article = make_article(title=title)
    parent = opt_in(client, article, body="First!")
    confirm_from(smtp)
    sent_before = len(smtp.messages)
    bodies = ["\n\n".join(a.text for a in corpus()[i : i + 40]) for i in range(0, 200, 40)]
    accepted = [
        name
        for name, body in zip(hostile_names(), bodies * 3, strict=False)
        if posted(Client(), article, name, body.replace("\x00", ""), parent_id=str(parent.pk))
    ]
    assert set(breakouts()[:3]) <= set(accepted)
    notices = smtp.messages[sent_before:]
    assert len(notices) == len(accepted)
    assert smtp.recipients[sent_before:] == [[ANNA]] * len(notices)
    for notice in notices:
        assert_clean(notice)
        assert notice["Subject"].startswith("Ben") or "replied" in notice["Subject"]


def test_moderator_notices_carry_no_added_header_and_no_script(client, smtp, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    moderator("eve", "eve@example.org", "each")
    article = make_article(title=f"Ferry{BREAKS[1]}X-Injected: yes")
    for name in hostile_names():
        posted(client, article, name, "<img src=x onerror=alert(1)>")
    assert smtp.messages, "no notice was sent"
    assert all(r == ["eve@example.org"] for r in smtp.recipients)
    for notice in smtp.messages:
        assert_clean(notice)
