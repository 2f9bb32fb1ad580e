"""Every page type is valid HTML5 with one <h1>, unique ids, labelled fields and a language.

html5lib in strict mode raises on the first parse error, so a stray end tag or
a misnested element anywhere on a page fails its test.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from html5lib._inputstream import invalid_unicode_re
from lxml import etree

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from broadsheet.interchange import wpcontent
from broadsheet.markup import render_comment
from broadsheet.moderation import actions as moderation_actions
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db

# The form's CSRF defence checks Origin; the test client sends none unless told.
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
# The <time datetime> forms the pages write: a date, or a moment with at most three
# digits of a second's fraction and an offset (HTML's "valid global date and time").
MACHINE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?"
)
# What HTML takes in an <input type=url value>: an absolute URL, which has a scheme.
ABSOLUTE_URL = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*:")


def parse(html: str) -> Element:
    """Parse strictly: html5lib raises ParseError (with its position) on any error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(html)
    except html5lib.html5parser.ParseError as exc:
        line, col = parser.errors[-1][0] if parser.errors else ("?", "?")
        # A character HTML forbids is reported where its chunk of the page began.
        if forbidden := invalid_unicode_re.search(html):
            line = html.count("\n", 0, forbidden.start()) + 1
            col = forbidden.start() - html.rfind("\n", 0, forbidden.start()) - 1
        context = html.splitlines()[line - 1] if isinstance(line, int) else ""
        raise AssertionError(f"invalid HTML at {line}:{col}: {exc}\n  {context}") from None


def check_page(html: str) -> Element:
    doc = parse(html)
    assert doc.get("lang"), "<html> has no lang attribute"

    headings = [h for h in doc.iter("h1")]
    assert len(headings) == 1, f"expected one <h1>, found {len(headings)}"

    ids = Counter(el.get("id") for el in doc.iter() if el.get("id") is not None)
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    assert not duplicates, f"duplicate ids: {duplicates}"

    labelled = {label.get("for") for label in doc.iter("label")}
    for el in doc.iter():
        if el.tag not in ("input", "textarea", "select"):
            continue
        if el.tag == "input" and el.get("type", "text") in UNLABELLED_INPUT_TYPES:
            continue
        assert el.get("id") in labelled, f"no <label for> names <{el.tag} name={el.get('name')}>"

    for el in doc.iter("time"):
        value = el.get("datetime")
        assert value is None or MACHINE_TIME.fullmatch(value), f"<time datetime={value!r}>"
    for el in doc.iter("input"):
        value = el.get("value")
        if el.get("type") == "url" and value:
            assert ABSOLUTE_URL.match(value), f"<input type=url value={value!r}>"

    # Whatever points at an id (a label, a description, an in-page link) finds it.
    for el in doc.iter():
        refs = [el.get("for")] if el.tag == "label" else []
        for attr in ("aria-describedby", "aria-labelledby"):
            refs += (el.get(attr) or "").split()
        href = el.get("href") or ""
        if el.tag == "a" and href.startswith("#") and len(href) > 1:
            refs.append(href[1:])
        for ref in refs:
            assert ref in ids, f"<{el.tag}> points at id {ref!r}, which is not on the page"
    return doc


@dataclass
class Site:
    """A small site with everything a page type can show."""

    article: Article
    root: Comment
    reply: Comment
    own: Comment
    client: Client


def post_from_browser(client: Client, article: Article, body: str, **fields) -> Comment:
    """Post through the web form, so the client holds the author's cookie."""
    data = {"author_name": "Reader", "author_email": "", "author_url": "", "body": body}
    data.update(fields)
    response = client.post(f"/article/{article.slug}/comments", data, **ORIGIN)
    assert response.status_code == 302, response.content.decode()[:500]
    return Comment.objects.latest("pk")


@pytest.fixture
def site_pages(article, site, client, settings) -> Site:
    settings.BROADSHEET_ARTICLES_PER_PAGE = 2
    site.comments_per_page = 2
    site.save()
    article.tags.add(Tag.objects.create(name="Bridges", slug="bridges"))
    article.author.bio = "Writes about cities."
    article.author.save()
    for i in range(3):
        make_article(title=f"Story {i}", section=article.section, author=article.author)

    root = post(article, "About time. I cross it **every** day.", author_name="Sam")
    reply = post(article, "Hardly a mandate.", author_name="Jane", parent=root)
    deeper = post(article, f"> [Jane wrote:](/c/{reply.pk})\n>\n> mandate\n\nA win.", parent=reply)
    deepest = post(article, "Four levels in.", author_name="דנה", parent=deeper)
    flat = post(article, "Five levels: drawn flat at the deepest indent.", parent=deepest)
    post(article, "Six levels: says whom it answers.", parent=flat)
    post(article, "مرحبا 👋", author_name="علي", author_url="https://ali.example.org")
    own = post_from_browser(client, article, "My own words, still editable.")
    post(article, "A fourth thread, on page 2.")
    return Site(article=article, root=root, reply=reply, own=own, client=client)


def staff_client() -> Client:
    client = Client()
    client.force_login(
        get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    )
    return client


def held_comment_for_queue(s: Site) -> None:
    SiteSettings.objects.filter(pk=1).update(comment_policy=SiteSettings.CommentPolicy.HOLD)
    post(s.article, "Waiting.", author_name="Held", author_email="held@example.org")
    post(s.article, "A held reply.", parent=s.root)


# name -> (what to fetch, the status it must answer with)
PAGES: dict[str, Callable[[Site], tuple[Client, str, int]]] = {
    "front": lambda s: (s.client, "/", 200),
    "front page 2": lambda s: (s.client, "/?page=2", 200),
    "section": lambda s: (s.client, s.article.section.get_absolute_url(), 200),
    "tag": lambda s: (s.client, "/tag/bridges/", 200),
    "author": lambda s: (s.client, s.article.author.get_absolute_url(), 200),
    "article": lambda s: (s.client, s.article.get_absolute_url(), 200),
    "article for a stranger": lambda s: (Client(), s.article.get_absolute_url(), 200),
    "article page 2": lambda s: (s.client, s.article.get_absolute_url() + "?page=2", 200),
    "article newest first": lambda s: (
        s.client,
        s.article.get_absolute_url() + "?order=newest",
        200,
    ),
    "reply": lambda s: (s.client, f"/c/{s.reply.pk}/reply", 200),
    "quote": lambda s: (s.client, f"/c/{s.reply.pk}/reply?quote=1", 200),
    "edit own comment": lambda s: (s.client, f"/c/{s.own.pk}/edit", 200),
    "delete own comment": lambda s: (s.client, f"/c/{s.own.pk}/delete", 200),
    "moderation queue": lambda s: (
        held_comment_for_queue(s) or staff_client(),
        "/moderation/",
        200,
    ),
    "moderation audit log": lambda s: (
        held_comment_for_queue(s) or staff_client(),
        "/moderation/log/",
        200,
    ),
    "a story's comments, for moderators": lambda s: (
        staff_client(),
        f"/moderation/story/{s.article.pk}/",
        200,
    ),
    "article as staff": lambda s: (staff_client(), s.article.get_absolute_url(), 200),
    "not found": lambda s: (s.client, "/article/no-such-story/", 404),
    "search results": lambda s: (s.client, "/search/?q=story+hello", 200),
    "search results page 2": lambda s: (s.client, "/search/?q=story&page=2", 200),
    "search with no results": lambda s: (s.client, "/search/?q=lighthouse", 200),
    "empty search": lambda s: (s.client, "/search/", 200),
    "search too long": lambda s: (s.client, "/search/?q=" + "x" * 201, 400),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_valid_html(site_pages: Site, name: str):
    client, url, status = PAGES[name](site_pages)
    response = client.get(url)
    assert response.status_code == status, url
    check_page(response.content.decode())


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_has_the_search_box(site_pages: Site, name: str):
    """In the masthead, a search landmark with a labelled box, sent without script."""
    client, url, _status = PAGES[name](site_pages)
    doc = check_page(client.get(url).content.decode())
    masthead = doc.find(".//header[@class='masthead']")
    assert masthead is not None
    form = masthead.find(".//form[@role='search']")
    assert form is not None, name
    assert form.get("action") == "/search/" and form.get("method") == "get"
    box = form.find(".//input[@name='q']")
    assert box is not None and box.get("type") == "search"
    label = form.find(f".//label[@for='{box.get('id')}']")
    assert label is not None and label.text
    assert form.find(".//button[@type='submit']") is not None


def test_article_pages_show_what_they_are_checked_for(site_pages: Site):
    """Guards the checks above: the pages really hold threads, pages and the form."""
    s = site_pages
    html = s.client.get(s.article.get_absolute_url()).content.decode()
    doc = check_page(html)
    assert doc.find(".//ol[@class='children']") is not None
    assert doc.find(".//span[@class='reply-to']") is not None
    assert doc.find(".//nav[@class='pager']") is not None
    assert doc.find(".//li[@class='comment depth-0 pending']") is None
    assert doc.find(".//form[@class='comment-form']") is not None


def sent_back(s: Site, **fields: str) -> Element:
    """The article page the comment form comes back on, refused: checked, and parsed."""
    response = s.client.post(f"/article/{s.article.slug}/comments", fields, **ORIGIN)
    assert response.status_code == 400
    return check_page(response.content.decode())


def test_form_with_errors_is_valid_html(site_pages: Site):
    doc = sent_back(site_pages, author_name="", author_email="not an address", body="")
    assert len(doc.findall(".//ul[@class='field-errors']")) == 3


def test_form_with_errors_keeps_a_website_that_is_no_address_in_a_text_box(site_pages: Site):
    """HTML allows only an absolute address in a url box; the reader gets back what they
    typed, to mend, in a text box that still brings up a phone's address keyboard."""
    box = sent_back(site_pages, author_name="Jane", author_url="my site", body="Hello.").find(
        ".//input[@name='author_url']"
    )
    assert box is not None
    assert (box.get("type"), box.get("inputmode"), box.get("value")) == ("text", "url", "my site")
    assert box.get("aria-invalid") == "true"
    # One the form takes stays an address box while another field is mended.
    doc = sent_back(site_pages, author_name="Jane", author_url="https://jane.example.org", body="")
    box = doc.find(".//input[@name='author_url']")
    assert box is not None and box.get("type") == "url"


def test_a_reply_to_a_comment_not_there_says_so_and_opens_on_it(site_pages: Site):
    doc = sent_back(site_pages, author_name="Jane", body="Late answer.", parent_id="999999")
    errors = doc.find(".//form[@class='comment-form']/div[@class='errors']")
    assert errors is not None and errors.get("autofocus") is not None
    assert "does not exist here" in "".join(errors.itertext())
    # One thing takes the focus: the message, not a field as well.
    assert [el.tag for el in doc.iter() if el.get("autofocus") is not None] == ["div"]


def test_reply_page_with_errors_keeps_the_parent_and_is_valid(site_pages: Site):
    s = site_pages
    response = s.client.post(
        f"/article/{s.article.slug}/comments",
        {"author_name": "Jane", "body": "", "parent_id": str(s.reply.pk)},
        **ORIGIN,
    )
    assert response.status_code == 400
    doc = check_page(response.content.decode())
    parent = doc.find(".//input[@name='parent_id']")
    assert parent is not None and parent.get("value") == str(s.reply.pk)


def test_own_pending_comment_page_is_valid(site_pages: Site):
    s = site_pages
    SiteSettings.objects.filter(pk=1).update(comment_policy=SiteSettings.CommentPolicy.HOLD)
    response = s.client.post(
        f"/article/{s.article.slug}/comments",
        {"author_name": "Patient", "body": "Held for a moment."},
        **ORIGIN,
    )
    pending = Comment.objects.latest("pk")
    assert pending.status == Comment.Status.PENDING
    assert response["Location"].endswith(f"#comment-{pending.pk}")
    response = s.client.get(response["Location"])
    doc = check_page(response.content.decode())
    li = doc.find(f".//li[@id='comment-{pending.pk}']")
    assert li is not None and "pending" in li.get("class", "").split()


def test_closed_article_is_valid(site_pages: Site):
    s = site_pages
    Article.objects.filter(pk=s.article.pk).update(comments_open=False)
    response = s.client.get(s.article.get_absolute_url())
    doc = check_page(response.content.decode())
    assert doc.find(".//form[@class='comment-form']") is None


def test_too_late_to_edit_page_is_valid(site_pages: Site, settings):
    settings.BROADSHEET_COMMENT_EDIT_WINDOW_MINUTES = 0
    s = site_pages
    response = s.client.get(f"/c/{s.own.pk}/edit")
    assert response.status_code == 403
    check_page(response.content.decode())


def test_empty_archive_is_valid(client, db):
    Tag.objects.create(name="Quiet", slug="quiet")
    check_page(client.get("/tag/quiet/").content.decode())
    check_page(client.get("/").content.decode())


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<!DOCTYPE html><html lang=en><title>t</title><h1>a</h1><p></div>", "invalid HTML"),
        ("<!DOCTYPE html><html><title>t</title><h1>a</h1>", "lang"),
        ("<!DOCTYPE html><html lang=en><title>t</title><h1>a</h1><h1>b</h1>", "one <h1>"),
        ("<!DOCTYPE html><html lang=en><title>t</title><h1 id=x>a</h1><p id=x>", "duplicate"),
        ("<!DOCTYPE html><html lang=en><title>t</title><h1>a</h1><input id=q>", "label"),
        (
            "<!DOCTYPE html><html lang=en><title>t</title><h1>a</h1><a href=#nowhere>x</a>",
            "nowhere",
        ),
        (
            "<!DOCTYPE html><html lang=en><title>t</title><h1>a</h1>"
            "<time datetime=2016-12-06T10:00:00.123456+00:00>x</time>",
            "time datetime",
        ),
        (
            "<!DOCTYPE html><html lang=en><title>t</title><h1>a</h1>"
            "<label for=u>u</label><input type=url id=u value=example.org>",
            "type=url",
        ),
    ],
)
def test_the_checks_catch_what_they_look_for(html: str, problem: str):
    with pytest.raises(AssertionError, match=problem):
        check_page(html)


# Every kind of character HTML forbids (docs/reading.md), as stored text may hold it:
# pasted from a word processor (a vertical tab is Word's line break), posted through
# the API, imported, or restored from an old database.
FORBIDDEN = {
    "vertical tab": "\x0b",
    "C0 control": "\x01",
    "escape": "\x1b",
    "delete": "\x7f",
    "C1 control": "\x85",
    "noncharacter": "\ufdd0",
    "U+FFFE": "\ufffe",
    "a plane's last": "\U0010ffff",
}
EVERY_FORBIDDEN = "".join(FORBIDDEN.values())
# ... as a page prints them.
SHOWN = "\n" + "\ufffd" * (len(FORBIDDEN) - 1)


def poisoned(text: str) -> str:
    return f"{text}{EVERY_FORBIDDEN}{text}"


@pytest.fixture
def forbidden_pages(site_pages: Site) -> Site:
    """``site_pages`` with every kind of stored text a page prints holding each character
    HTML forbids: the site's, the article's and its filing's, and a comment, a reply
    and an imported comment with their authors' names and websites (which the form
    refuses now, but an older site or an import may hold)."""
    s = site_pages
    # Every thread on the first page of comments.
    SiteSettings.objects.filter(pk=1).update(
        site_name=poisoned("Paper"), tagline=poisoned("News"), comments_per_page=100
    )
    Section.objects.filter(pk=s.article.section_id).update(name=poisoned("World"))
    Tag.objects.filter(slug="bridges").update(name=poisoned("Bridges"))
    Author.objects.filter(pk=s.article.author_id).update(
        name=poisoned("Dana"), bio=poisoned("Writes")
    )
    Article.objects.filter(pk=s.article.pk).update(
        title=poisoned("Hello"), summary=poisoned("Story"), source_name=poisoned("Daily")
    )
    s.article.refresh_from_db()
    s.article.body = "\n\n".join(f"Story {name}:{char}end." for name, char in FORBIDDEN.items())
    newsroom_actions.save_article(s.article)
    for name, char in FORBIDDEN.items():
        comment = post(s.article, f"Story comment, {name}:{char}end.", author_name="Sam")
        reply = post(s.article, f"A reply, {name}:{char}end.", author_name="Jo", parent=comment)
        Comment.objects.filter(pk__in=[comment.pk, reply.pk]).update(
            author_name=poisoned(name), author_url=f"https://example.org/{char}"
        )
        html = f"<p>Imported {name}:{char}end, &amp; as a reference: &#{ord(char)};</p>"
        discussion_actions.import_comments(
            [
                discussion_actions.ImportedComment(
                    article_id=s.article.pk, author_name=poisoned(name), body=html,
                    body_html=wpcontent.comment_html(html), created_at=comment.created_at,
                    author_url=f"https://example.org/{char}", origin=f"wxr:{name}",
                    parent_id=reply.pk,
                )
            ]
        )  # fmt: skip
        moderation_actions.report(
            comment, reason="abuse", reporter_key=name, detail=poisoned("Rude")
        )
    # The reply and quote pages answer this one.
    Comment.objects.filter(pk=s.reply.pk).update(
        author_name=poisoned("Jane"),
        body=poisoned("Hardly"),
        body_html=render_comment(poisoned("Hardly")),
    )
    held = post(s.article, poisoned("Held"), author_name=poisoned("Held"))
    Comment.objects.filter(pk=held.pk).update(
        status=Comment.Status.PENDING,
        author_email=f"held{EVERY_FORBIDDEN}@example.org",
        reasons=[{"check": "x", "action": "hold", "reason": poisoned("Because")}],
    )
    moderator = get_user_model().objects.create_user("mod")
    held.refresh_from_db()
    moderation_actions.block_author(held, actor=moderator, days=7, reason=poisoned("Spite"))
    rejected = post(s.article, poisoned("Rejected"), author_name=poisoned("Rejected"))
    moderation_actions.reject(rejected, actor=moderator)
    return s


# The author's own edit form keeps the text exactly (its one exception): checked below.
PRINTED_PAGES = [name for name in PAGES if name != "edit own comment"]


@pytest.mark.parametrize("name", PRINTED_PAGES)
def test_a_page_never_carries_a_character_html_forbids(forbidden_pages: Site, name: str):
    client, url, status = PAGES[name](forbidden_pages)
    response = client.get(url)
    assert response.status_code == status, url
    check_page(response.content.decode())


def test_the_pages_checked_show_the_text_they_are_checked_for(forbidden_pages: Site):
    """Guards the check above: the characters reached the pages, which print them
    replaced. A vertical tab breaks the line (in a comment, as its author meant it)."""
    s = forbidden_pages
    html = s.client.get(s.article.get_absolute_url()).content.decode()
    check_page(html)
    assert "A reply, vertical tab:<br>\nend." in html
    assert "Story comment, C1 control:\ufffdend." in html
    assert "Imported noncharacter:\ufffdend, &amp; as a reference: \ufffd" in html
    assert "Imported vertical tab:\nend, &amp; as a reference: \n" in html
    assert "<p>Story escape:\ufffdend.</p>" in html  # the article's own text
    assert f">delete{SHOWN}delete</" in html  # an author's name
    assert f"<title>Hello{SHOWN}Hello | Paper{SHOWN}Paper</title>" in html
    # Stored as written.
    assert Comment.objects.filter(body="A reply, vertical tab:\x0bend.").exists()
    section = s.client.get(s.article.section.get_absolute_url()).content.decode()
    assert f"</span> World{SHOWN}World</h1>" in section


def moderation_urls(s: Site) -> list[str]:
    held = Comment.objects.get(author_name=poisoned("Held"))
    reported = Comment.objects.filter(reports__isnull=False).first()
    assert reported is not None
    return [
        "/moderation/?tab=reported",
        "/moderation/?tab=spam",
        "/moderation/?tab=decided",
        "/moderation/blocks/",
        "/moderation/log/",
        f"/moderation/?author={held.pk}",
        f"/moderation/?story={s.article.pk}&q=story",
        f"/moderation/{held.pk}/block",
        f"/moderation/report/{reported.pk}",
    ]


def test_moderation_pages_never_carry_a_character_html_forbids(forbidden_pages: Site):
    staff = staff_client()
    for url in moderation_urls(forbidden_pages):
        response = staff.get(url)
        assert response.status_code == 200, url
        check_page(response.content.decode())


def test_the_feeds_stay_well_formed_and_their_html_is_valid(forbidden_pages: Site):
    from tests.feeds.conftest import parse_feed

    for url in ("/feed/", "/comments/feed/", f"/article/{forbidden_pages.article.slug}/feed/"):
        document = parse_feed(Client().get(url).content)  # lxml refuses a malformed one
        assert document.entries, url
        for entry in document.entries:
            assert not invalid_unicode_re.search(entry.content or ""), (url, entry.title)
    # The news sitemap names the site and the headlines; lxml refuses a malformed one.
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml"):
        response = Client().get(url)
        assert response.status_code == 200, url
        etree.fromstring(response.content, etree.XMLParser(resolve_entities=False))


ONE_LINE_FIELDS = {
    "author_name": f"Ann{EVERY_FORBIDDEN}Bee",
    "author_email": f"ann@exa{EVERY_FORBIDDEN}mple.org",
    "author_url": f"https://example.org/a{EVERY_FORBIDDEN}b",
}


@pytest.mark.parametrize("field", ONE_LINE_FIELDS)
def test_a_refused_name_address_or_website_comes_back_without_them(site_pages: Site, field):
    s = site_pages
    before = Comment.objects.count()
    data = {
        "author_name": "Ann",
        "body": f"Kept{EVERY_FORBIDDEN}text.",
        field: ONE_LINE_FIELDS[field],
    }
    response = s.client.post(f"/article/{s.article.slug}/comments", data, **ORIGIN)
    assert response.status_code == 400
    assert Comment.objects.count() == before
    doc = check_page(response.content.decode())
    (refused,) = doc.findall(".//ul[@class='field-errors']")
    assert refused.get("id") == f"id_{field}_errors"
    # Shown as pages show text: where each character was, the reader sees one.
    shown = doc.find(f".//*[@name='{field}']")
    assert shown is not None and SHOWN in shown.get("value", "")
    box = doc.find(".//textarea[@name='body']")
    assert box is not None and box.text == f"Kept{SHOWN}text."  # less the line break a parser drops


def test_the_authors_own_edit_form_keeps_the_text_exactly(site_pages: Site):
    """The one page that prints them (docs/reading.md): the box the author edits their
    own comment in, seen by them alone, holds it exactly, so that saving it unchanged
    changes nothing. The rest of the page is valid."""
    s = site_pages
    body = f"My words,{EVERY_FORBIDDEN}exactly."
    response = s.client.post(f"/c/{s.own.pk}/edit", {"body": body}, **ORIGIN)
    assert response.status_code == 302
    assert Comment.objects.get(pk=s.own.pk).body == body
    page = s.client.get(f"/c/{s.own.pk}/edit").content.decode()
    assert f">\n{body}</textarea>" in page
    check_page(page.replace(body, "", 1))
    s.client.post(f"/c/{s.own.pk}/edit", {"body": body}, **ORIGIN)
    assert Comment.objects.get(pk=s.own.pk).body == body
