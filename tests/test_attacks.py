"""The attack corpus (tests/attacks.py) through every place text reaches a page: no
page, feed or API answer carries anything that could run script.

Each payload is checked alone through the three renderers, then in bulk through
the real ways in (the comment form, the JSON API, replies, quotes, edits, the
editors' fields, reports) and out (article and archive pages, feeds, the reply and
quote pages, the moderators' pages, the admin's preview). The browser tests
(tests/browser/test_attacks.py) load the same site in Chromium.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from broadsheet import markup
from broadsheet.discussion.forms import CommentForm, form_stamp
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation
from broadsheet.moderation.models import Report
from broadsheet.newsroom.models import Article, Author, Section, Tag
from tests.api.conftest import comment_url, post_json, send
from tests.attacks import breakouts, corpus, script_risks, website_attacks
from tests.conftest import make_article
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
ATOM = "{http://www.w3.org/2005/Atom}"


# Author websites that a form accepts (they are http addresses) but that try to
# leave the attribute they are written into.
def _valid_url(value: str) -> bool:
    try:
        CommentForm.base_fields["author_url"].clean(value)
    except ValidationError:
        return False
    return True


ACCEPTED_WEBSITES = [w for w in website_attacks() if _valid_url(w)]


def _in_chunks(texts: list[str], size: int = 9_000) -> Iterator[str]:
    """The texts joined into comment bodies under the length limit, one paragraph each."""
    chunk: list[str] = []
    for text in texts:
        if chunk and sum(len(t) + 2 for t in chunk) + len(text) > size:
            yield "\n\n".join(chunk)
            chunk = []
        chunk.append(text)
    if chunk:
        yield "\n\n".join(chunk)


def bodies() -> list[str]:
    """The corpus as comment bodies; a NUL is refused before it is stored (as it should)."""
    return list(_in_chunks([a.text for a in corpus() if "\x00" not in a.text]))


@pytest.mark.parametrize(
    "render", [markup.render_comment, markup.render_article, markup.sanitize_html],
    ids=["comment", "article", "imported-html"],
)  # fmt: skip
def test_no_attack_survives_a_renderer(render):
    survived = {
        attack.text: risks for attack in corpus() if (risks := script_risks(render(attack.text)))
    }
    assert not survived, "\n".join(f"{text!r}: {risks}" for text, risks in survived.items())


def test_the_check_finds_what_a_browser_would_run():
    """The static check is only as good as what it catches: live HTML is caught."""
    for text in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                 '<a href="&#x6A;avascript:alert(1)">x</a>', '<a href="\x01java\tscript:x">x</a>',
                 "<svg><a xlink:href='javascript:x'>x</a></svg>", "<iframe srcdoc=x></iframe>",
                 '<meta http-equiv="refresh" content="0">', "<base href=//x>",
                 '<p style="background:url(javascript:x)">x</p>',
                 '<div class="body"><form></form></div>',
                 '<script type="application/ld+json">{"a": "</script>"}</script>'):  # fmt: skip
        assert script_risks(text), text
    assert not script_risks('<script src="/static/broadsheet/discussion.js" defer></script>')
    assert not script_risks('<a href="https://example.org/?javascript:x">x</a>')


@dataclass
class Hostile:
    """A site whose every reader- and editor-written field holds the corpus."""

    article: Article
    held: Article
    moderator: object
    comments: list[Comment] = field(default_factory=list)
    reader: Client = field(default_factory=Client)

    def pages(self) -> list[str]:
        first = self.comments[0].pk
        slug = self.article.slug
        filed = [self.article.section, self.article.author, *self.article.tags.all()]
        return [
            "/", f"/article/{slug}/", f"/article/{slug}/?page=2", f"/c/{first}/reply",
            f"/c/{first}/reply?quote=1", f"/moderation/report/{first}",
            *[f.get_absolute_url() for f in filed if f is not None],
        ]  # fmt: skip

    def feeds(self) -> list[str]:
        slug = self.article.slug
        filed = [self.article.section, self.article.author, *self.article.tags.all()]
        return ["/feed/", "/comments/feed/", f"/article/{slug}/feed/",
                *[f.get_absolute_url() + "feed/" for f in filed if f is not None]]  # fmt: skip

    def staff_pages(self) -> list[str]:
        held = Comment.objects.filter(article=self.held).first()
        assert held is not None
        return ["/moderation/", "/moderation/?view=decided", "/moderation/log/",
                f"/moderation/?author={held.pk}", f"/moderation/{held.pk}/block",
                f"/moderation/?author={self.comments[0].pk}",
                f"/admin/newsroom/article/{self.article.pk}/change/"]  # fmt: skip


def _filed() -> tuple[Section, Author, list[Tag]]:
    names = breakouts()
    section = Section.objects.create(name=names[0], slug="hostile", description=names[1])
    author = Author.objects.create(name=names[2], slug="hostile", bio=names[3])
    tags = [Tag.objects.create(name=n, slug=f"hostile-{i}") for i, n in enumerate(names[4:8])]
    return section, author, tags


def _articles() -> tuple[Article, Article]:
    names = breakouts()
    section, author, tags = _filed()
    article = make_article(
        title=names[5], slug="hostile", summary=" ".join(names),
        body="\n\n".join(bodies()), section=section, author=author,
        source_name=names[0], source_url=ACCEPTED_WEBSITES[0], tags=tags,
    )  # fmt: skip
    held = make_article(
        title=names[6], slug="held", comment_policy=Article.CommentPolicy.HOLD,
        source_name=names[1], source_url="javascript:alert(1)",
    )  # fmt: skip
    return article, held


def _post_through_api(client: Client, article: Article, body: str, **fields) -> Comment:
    response = post_json(client, article, {"body": body, **fields})
    assert response.status_code == 201, response.content
    comment = Comment.objects.get(pk=response.json()["id"])
    comment._token = response.json()["edit_token"]  # type: ignore[attr-defined]
    return comment


def _post_through_form(client: Client, article: Article, body: str, **fields) -> Comment:
    data = {"author_email": "", "body": body, "stamp": form_stamp(), **fields}
    response = client.post(f"/article/{article.slug}/comments", data, **ORIGIN)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Comment.objects.latest("pk")


def _quote_of(client: Client, comment: Comment) -> str:
    """The text the quote page puts in the form, as a reader sends it on."""
    page = client.get(f"/c/{comment.pk}/reply?quote=1").content.decode()
    start = page.index(">", page.index("<textarea")) + 1
    return unescape(page[start : page.index("</textarea>", start)]).strip()


def build_hostile_site(reader: Client | None = None) -> Hostile:
    """Everything a reader, an editor or a reporter can write, written with the corpus,
    and every comment approved (but those on the held article), as moderators would."""
    article, held = _articles()
    hostile = Hostile(article, held, make_moderator(), reader=reader or Client())
    names = itertools.cycle(breakouts())
    websites = itertools.cycle(ACCEPTED_WEBSITES)
    api = Client()
    # The chunks go in by the API and by the form in turn; the first two wait on the
    # held article too, for the moderators' queue.
    for i, body in enumerate(bodies()):
        who = {"author_name": next(names), "author_url": next(websites)}
        send_in = _post_through_api if i % 2 == 0 else _post_through_form
        hostile.comments.append(
            send_in(api if i % 2 == 0 else hostile.reader, article, body, **who)
        )
        if i < 2:
            _post_through_api(api, held, body, **who)
    first = hostile.comments[0]
    reply = _post_through_api(api, article, "A reply.", parent_id=first.pk, author_name="R")
    quote = _post_through_form(hostile.reader, article, _quote_of(api, first), author_name="Q")
    hostile.comments += [reply, quote]
    # Every API comment is edited to the corpus again, its paragraphs in reverse order.
    for comment in (c for c in hostile.comments if hasattr(c, "_token")):
        edited = "\n\n".join(comment.body.split("\n\n")[::-1])
        response = send(api, "PATCH", comment_url(comment), {"body": edited}, token=comment._token)
        assert response.status_code == 200, response.content
    for comment in Comment.objects.filter(article=article).exclude(status="approved"):
        moderation.approve(comment, actor=hostile.moderator)
    detail = " ".join(breakouts())
    moderation.report(first, reason=Report.Reason.SPAM, reporter_key="k", detail=detail)
    return hostile


def _risks_on(client: Client, urls: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        risks = script_risks(response.content.decode())
        if risks:
            found[url] = risks
    return found


def _feed_risks(client: Client, urls: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ElementTree.fromstring(response.content)
        for element in feed.iter():
            if element.get("type") == "html" and (risks := script_risks(element.text or "")):
                found[url] = risks
            href = element.get("href") or ""
            if element.tag == f"{ATOM}link" and not href.startswith("http"):
                found[url] = [f"a link to {href!r}"]
    return found


def _api_risks(client: Client, article: Article) -> dict[str, list[str]]:
    found = {}
    url = f"/api/v1/articles/{article.slug}/comments"
    while url:
        data = client.get(url).json()
        for comment in data["results"]:
            if risks := script_risks(comment["body_html"]):
                found[comment["url"]] = risks
        url = data["next"]
    return found


def test_no_page_feed_or_answer_carries_anything_that_runs():
    hostile = build_hostile_site()
    # The corpus went in, and reached the page as text.
    page = Client().get(hostile.article.get_absolute_url()).content.decode()
    assert "onerror=alert(1)" in page and "&lt;script&gt;" in page
    shown = Comment.objects.filter(article=hostile.article, status="approved")
    assert shown.count() == len(hostile.comments)

    staff = Client()
    staff.force_login(hostile.moderator)
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("boss", password="pw"))
    # The reader who wrote them sees their edit and delete pages too.
    own = [f"/c/{c.pk}/{page}" for c in hostile.comments[1:2] for page in ("edit", "delete")]
    found = {
        **_risks_on(Client(), hostile.pages()),
        **_risks_on(hostile.reader, own),
        **_risks_on(staff, hostile.staff_pages()[:-1]),
        **_risks_on(admin, hostile.staff_pages()[-1:]),
        **_feed_risks(Client(), hostile.feeds()),
        **_api_risks(Client(), hostile.article),
    }
    assert not found
