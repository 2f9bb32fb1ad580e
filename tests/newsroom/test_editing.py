"""An editor's day in the admin: writing, filing, scheduling, mistakes."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import dateformat, timezone

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    )
    return client


def test_admin_article_list_queries_do_not_grow_with_articles(
    editor_client, django_assert_max_num_queries
):
    section = Section.objects.create(name="City", slug="city")
    author = Author.objects.create(name="Ana Lee", slug="ana-lee")
    for i in range(3):
        make_article(title=f"Story {i}", section=section, author=author)
    editor_client.get("/admin/newsroom/article/")
    with django_assert_max_num_queries(15) as few:
        editor_client.get("/admin/newsroom/article/")
    for i in range(20):
        make_article(title=f"More {i}", section=section, author=author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = editor_client.get("/admin/newsroom/article/")
    assert page.content.decode().count("Ana Lee") >= 23


def test_renaming_a_section_tag_or_byline_redraws_the_article_pages(editor_client):
    client = Client()  # a reader, whose copy the pages' ETags validate
    section = Section.objects.create(name="Transport", slug="transport")
    tag = Tag.objects.create(name="Ferries", slug="ferries")
    author = Author.objects.create(name="Ana Lee", slug="ana-lee")
    article = make_article(section=section, tags=[tag], author=author)
    other = make_article(title="Elsewhere")
    url, other_url = article.get_absolute_url(), other.get_absolute_url()
    etag, other_etag = client.get(url)["ETag"], client.get(other_url)["ETag"]

    editor_client.post(
        f"/admin/newsroom/section/{section.pk}/change/",
        {"name": "Getting Around", "slug": "transport", "description": "", "position": 0},
    )
    tag.name = "Boats"
    tag.save()
    author.name = "Ana Lee-Marsh"
    author.save()

    page = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Getting Around" in html and "Boats" in html and "Ana Lee-Marsh" in html
    # The section menu is on every page.
    assert "Getting Around" in client.get(other_url, HTTP_IF_NONE_MATCH=other_etag).content.decode()


def test_pages_are_drawn_anew_only_when_what_they_show_changed(editor_client):
    client = Client()
    top = Section.objects.create(name="News", slug="news")
    child = Section.objects.create(name="Harbour", slug="harbour", parent=top)
    tag = Tag.objects.create(name="Ferries", slug="ferries")
    in_child = make_article(title="Ferry times", section=child, tags=[tag])
    elsewhere = make_article(title="Elsewhere", section=top)

    def etags():
        return [client.get(a.get_absolute_url())["ETag"] for a in (in_child, elsewhere)]

    first = etags()
    # A description is on the section's own page only; a save that changes nothing
    # shown, or nothing at all, leaves every article page as it was.
    editor_client.post(
        f"/admin/newsroom/section/{top.pk}/change/",
        {"name": "News", "slug": "news", "description": "All the news", "position": 0},
    )
    tag.save()
    assert etags() == first
    # A sub-section is not in the menu: renaming it redraws its own articles only.
    child.name = "The Harbour"
    child.save()
    second = etags()
    assert second[0] != first[0] and second[1] == first[1]
    assert "The Harbour" in client.get(in_child.get_absolute_url()).content.decode()
    # Raised to the top level it joins the menu, on every page.
    child.parent = None
    child.save()
    third = etags()
    assert third[0] != second[0] and third[1] != second[1]
    # So does a new top-level section; a new sub-section does not.
    Section.objects.create(name="Sport", slug="sport")
    fourth = etags()
    assert fourth[1] != third[1]
    Section.objects.create(name="Rowing", slug="rowing", parent=top)
    assert etags() == fourth


def test_deleting_a_tag_takes_it_off_its_articles_pages(client):
    tag = Tag.objects.create(name="Ferries", slug="ferries")
    article = make_article(tags=[tag])
    etag = client.get(article.get_absolute_url())["ETag"]
    tag.delete()
    page = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert page.status_code == 200 and "Ferries" not in page.content.decode()


def test_the_form_goes_when_the_sites_closing_time_passes(client, site):
    site.close_comments_after_days = 3
    site.save()
    article = make_article(published_at=timezone.now() - timedelta(days=2))
    open_page = client.get(article.get_absolute_url())
    assert "Leave a Reply" in open_page.content.decode()
    # Time passes: nothing about the article or its discussion is saved.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=4))
    page = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=open_page["ETag"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Comments are closed" in html and "Leave a Reply" not in html
    posted = client.post(
        f"/api/v1/articles/{article.slug}/comments",
        {"author_name": "Late Reader", "body": "Too late?"},
        content_type="application/json",
    )
    assert posted.status_code == 403


FULL_BODY = """# The vote

## What passed

- A pier
- A night ferry

> “Twenty years,” said a resident.

| Item | Cost |
|:-----|-----:|
| Pier | €4.2m |

See the [minutes](https://example.org/minutes?id=12&lang=en) and
![Map of the pier](https://example.org/pier.png)

Inline `code`, and:

```
fare = 2.5
```

🚢 👩🏽‍🔧 é, עברית, العربية.

<script>alert(1)</script> [bad](javascript:alert(1))
"""


def test_an_article_with_every_kind_of_markdown_renders_whole_and_safe(client):
    article = make_article(body=FULL_BODY)
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="body" dir="auto">', 1)[1].split("</div>", 1)[0]
    # The headline is the page's one <h1>: a top heading in the body is a section's.
    assert html.count("<h1") == 1
    assert "<h2>The vote</h2>" in body and "<h2>What passed</h2>" in body
    for part in (
        "<li>A night ferry</li>",
        "<blockquote>\n<p>“Twenty years,” said a resident.</p>\n</blockquote>",
        # Column alignment survives the sanitizer, and nothing else of a style does.
        '<th style="text-align:left">Item</th>',
        '<td style="text-align:right">€4.2m</td>',
        '<a href="https://example.org/minutes?id=12&amp;lang=en" rel="noopener">minutes</a>',
        '<img src="https://example.org/pier.png" alt="Map of the pier">',
        "<code>code</code>",
        "<pre><code>fare = 2.5\n</code></pre>",
        "🚢 👩🏽‍🔧 é, עברית, العربية.",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ):
        assert part in body, part
    assert 'href="javascript' not in body


def article_form(**changes) -> dict:
    form = {
        "title": "Night ferry timetable", "slug": "night-ferry", "summary": "",
        "body": "The ferry leaves at 23:10.", "source_name": "", "source_url": "",
        "status": "published", "published_at_0": "", "published_at_1": "",
        "listed": "on", "comments_open": "on", "comment_policy": "site",
    }  # fmt: skip
    return {**form, **changes}


def test_an_editor_makes_a_page_that_stands_on_its_own_by_unticking_listed(editor_client):
    add = editor_client.get("/admin/newsroom/article/add/").content.decode()
    assert re.search(r'<input type="checkbox" name="listed"[^>]* checked>', add)  # by default
    form = article_form(title="About us", slug="about-us")
    del form["listed"]  # unticked
    response = editor_client.post("/admin/newsroom/article/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    make_article(title="Ferry news")
    reader = Client()
    assert "Ferry news" in (front := reader.get("/").content.decode())
    assert "About us" not in front and "About us" not in reader.get("/feed/").content.decode()
    assert "About us" in reader.get("/article/about-us/").content.decode()
    listed = editor_client.get("/admin/newsroom/article/?listed__exact=0").content.decode()
    assert "About us" in listed and "Ferry news" not in listed


def test_a_source_link_without_the_outlets_name_is_refused(editor_client):
    response = editor_client.post(
        "/admin/newsroom/article/add/",
        article_form(source_url="https://gazette.example/a", status="scheduled"),
    )
    assert response.status_code == 200
    # Every mistake is told at once.
    assert set(response.context["adminform"].form.errors) == {"source_name", "published_at"}
    assert "Name the outlet the source link leads to" in response.content.decode()
    assert response.context["adminform"].form["body"].value() == "The ferry leaves at 23:10."
    assert not Article.objects.exists()


def test_scheduling_for_a_time_already_past_is_refused_and_names_the_time_zone(
    editor_client, settings
):
    settings.TIME_ZONE = "America/New_York"
    # An editor in New York means 09:00 their time in an hour; typed as the site's
    # time, it is an hour ago.
    an_hour_ago = timezone.localtime(timezone.now() - timedelta(hours=1))
    form = article_form(
        status="scheduled",
        published_at_0=an_hour_ago.strftime("%Y-%m-%d"),
        published_at_1=an_hour_ago.strftime("%H:%M:%S"),
    )
    response = editor_client.post("/admin/newsroom/article/add/", form)
    assert response.status_code == 200
    assert "(America/New_York) has passed" in response.content.decode()
    assert not Article.objects.exists()
    # The form says which time zone its times are in.
    assert "In the site's time zone, America/New_York" in (
        editor_client.get("/admin/newsroom/article/add/").content.decode()
    )


def test_a_scheduled_article_whose_time_has_come_can_still_be_edited(editor_client):
    article = make_article(
        status=Article.Status.SCHEDULED, published_at=timezone.now() - timedelta(minutes=5)
    )
    when = timezone.localtime(article.published_at)
    form = article_form(
        title="Corrected headline", slug=article.slug, status="scheduled",
        published_at_0=when.strftime("%Y-%m-%d"), published_at_1=when.strftime("%H:%M:%S.%f"),
    )  # fmt: skip
    response = editor_client.post(f"/admin/newsroom/article/{article.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).title == "Corrected headline"


def test_a_drafts_preview_says_it_is_unpublished_not_that_comments_closed(editor_client):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    html = editor_client.get(draft.get_absolute_url()).content.decode()
    dateline = html.split('<p class="dateline">', 1)[1].split("</p>", 1)[0]
    assert "Not yet published" in dateline and "| |" not in " ".join(dateline.split())
    assert "Comments open on publication" in html
    assert "Comments are closed" not in html
    # An editor who closed them sees so.
    actions.set_comments_open(draft, False)
    assert "Comments are closed" in editor_client.get(draft.get_absolute_url()).content.decode()


def test_deleting_a_section_says_its_articles_stay_without_one(editor_client):
    client = Client()
    section = Section.objects.create(name="Transport", slug="transport")
    filed = [make_article(section=section), make_article(section=section)]
    url = f"/admin/newsroom/section/{section.pk}/delete/"
    assert "2 articles filed under it stay as they are, with no section" in (
        editor_client.get(url).content.decode()
    )
    editor_client.post(url, {"post": "yes"})
    assert not Section.objects.exists()
    for article in filed:
        article.refresh_from_db()
        assert article.section is None and article.is_live
        assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/section/transport/").status_code == 404


def test_deleting_sections_from_the_list_says_their_articles_and_subsections_stay(
    editor_client,
):
    transport = Section.objects.create(name="Transport", slug="transport")
    ferries = Section.objects.create(name="Ferries", slug="ferries", parent=transport)
    trams = Section.objects.create(name="Trams", slug="trams", parent=transport)
    make_article(section=transport)
    make_article(section=ferries)
    make_article(section=trams)
    chosen = {"action": "delete_selected", "_selected_action": [transport.pk, ferries.pk]}
    page = editor_client.post("/admin/newsroom/section/", chosen).content.decode()
    assert "2 articles filed under them stay as they are, with no section" in page
    # Ferries goes too; Trams stays, at the top level.
    assert "1 section under them becomes a top-level section, in the menu" in page
    editor_client.post("/admin/newsroom/section/", {**chosen, "post": "yes"})
    assert list(Section.objects.values_list("name", "parent")) == [("Trams", None)]
    assert Article.objects.filter(section=None).count() == 2


def test_deleting_a_section_says_its_subsections_go_to_the_top(editor_client):
    transport = Section.objects.create(name="Transport", slug="transport")
    Section.objects.create(name="Ferries", slug="ferries", parent=transport)
    page = editor_client.get(f"/admin/newsroom/section/{transport.pk}/delete/").content.decode()
    assert "1 section under it becomes a top-level section, in the menu" in page
    assert "filed under it" not in page


def test_deleting_bylines_says_their_articles_stay_without_one(editor_client):
    dana = Author.objects.create(name="Dana Writer", slug="dana")
    sam = Author.objects.create(name="Sam Reporter", slug="sam")
    make_article(author=dana)
    make_article(author=dana)
    make_article(author=sam)
    page = editor_client.get(f"/admin/newsroom/author/{dana.pk}/delete/").content.decode()
    assert "2 articles by this author stay as they are, with no byline" in page
    chosen = {"action": "delete_selected", "_selected_action": [dana.pk, sam.pk]}
    page = editor_client.post("/admin/newsroom/author/", chosen).content.decode()
    assert "3 articles by these authors stay as they are, with no byline" in page
    editor_client.post("/admin/newsroom/author/", {**chosen, "post": "yes"})
    assert not Author.objects.exists()
    assert Article.objects.filter(author=None).count() == 3


def test_deleting_a_section_by_an_id_no_database_holds_says_it_does_not_exist(editor_client):
    # Past 64 bits, SQLite refused the count of its articles with an error (a 500).
    answer = editor_client.get("/admin/newsroom/section/99999999999999999999999/delete/")
    assert answer.status_code == 302 and answer["Location"] == "/admin/"


def test_closing_and_opening_comments_from_the_list_says_what_it_did(editor_client):
    client = Client()
    articles = [make_article(), make_article()]
    selected = {"_selected_action": [a.pk for a in articles]}
    closed = editor_client.post(
        "/admin/newsroom/article/", {"action": "close_comments", **selected}, follow=True
    )
    assert "Closed comments on 2 articles." in closed.content.decode()
    assert "Comments are closed" in client.get(articles[0].get_absolute_url()).content.decode()
    opened = editor_client.post(
        "/admin/newsroom/article/", {"action": "open_comments", **selected}, follow=True
    )
    assert "Opened comments on 2 articles" in opened.content.decode()
    assert "Leave a Reply" in client.get(articles[0].get_absolute_url()).content.decode()


def test_a_long_article_in_hebrew_is_saved_from_the_admin(editor_client):
    # 48,000 Hebrew letters: about 300 KB once the form encodes them (the admin's form
    # has no file field, so the browser sends it urlencoded), over a reader's limit.
    body = "שלום עולם. " * 6_000
    response = editor_client.post(
        "/admin/newsroom/article/add/",
        urlencode(article_form(body=body)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert Article.objects.get().body == body.strip()


def test_a_scheduled_article_whose_time_has_come_is_listed_as_published(editor_client):
    now = timezone.now()
    make_article(title="Came out at six", status=Article.Status.SCHEDULED,
                 published_at=now - timedelta(minutes=1))  # fmt: skip
    make_article(title="Out tomorrow", status=Article.Status.SCHEDULED,
                 published_at=now + timedelta(days=1))  # fmt: skip
    make_article(title="Still writing", status=Article.Status.DRAFT, published_at=None)

    def listed(state: str) -> list[str]:
        page = editor_client.get("/admin/newsroom/article/", {"state": state})
        return sorted(a.title for a in page.context["cl"].result_list)

    assert listed("published") == ["Came out at six"]
    assert listed("scheduled") == ["Out tomorrow"]
    assert listed("draft") == ["Still writing"]
    rows = editor_client.get("/admin/newsroom/article/").content.decode()
    came_out = rows[rows.index("Came out at six") :]
    assert came_out.index("Published") < came_out.index("</tr>")


def test_an_article_over_the_admins_limit_is_413_saying_so_and_saves_nothing(
    editor_client, settings
):
    # Django itself would refuse the form later, with a bare "Bad Request (400)".
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    response = editor_client.post(
        "/admin/newsroom/article/add/",
        urlencode(article_form(body="ש" * 4_000)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "larger than 20000 bytes" in response.content.decode()
    assert "the most the admin takes" in response.content.decode()
    assert not Article.objects.exists()


def test_saving_a_scheduled_article_says_when_it_goes_live(editor_client, settings):
    settings.TIME_ZONE = "America/New_York"
    when = timezone.localtime(timezone.now() + timedelta(days=2)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    form = article_form(
        status="scheduled",
        published_at_0=when.strftime("%Y-%m-%d"),
        published_at_1=when.strftime("%H:%M:%S"),
    )
    response = editor_client.post("/admin/newsroom/article/add/", form, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1 and "was added successfully" in said[0]
    day = dateformat.format(when, "N j, Y")  # "Nov. 28, 2026", as the admin writes dates
    assert said[0].endswith(f"It goes live on {day}, 9:30 a.m. (America/New_York)."), said[0]
    # Saved again, still ahead: it says so again; published now, it says nothing of it.
    article = Article.objects.get()
    change = f"/admin/newsroom/article/{article.pk}/change/"
    response = editor_client.post(change, form, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1 and "It goes live on" in said[0]
    form.update(status="published", published_at_0="", published_at_1="")
    response = editor_client.post(change, form, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1 and "was changed successfully" in said[0]
    assert "goes live" not in said[0]


@pytest.mark.parametrize("model", ["article", "section", "tag", "author"])
def test_a_slug_typed_with_a_combining_accent_is_the_composed_address(editor_client, model):
    # "Cafe" then U+0301, as some keyboards and pasted text write "Café": one address,
    # where the form refused it as not a slug.
    form = {
        "article": article_form(title="Cafe\u0301 society"),
        "section": {"name": "Cafe\u0301 society", "description": "", "position": 0},
        "tag": {"name": "Cafe\u0301 society"},
        "author": {"name": "Cafe\u0301 society", "bio": ""},
    }[model]
    sent = editor_client.post(
        f"/admin/newsroom/{model}/add/", {**form, "slug": "cafe\u0301-society"}
    )
    assert sent.status_code == 302, sent.context["adminform"].form.errors
    found = {"article": Article, "section": Section, "tag": Tag, "author": Author}[model]
    assert found.objects.get().slug == "caf\u00e9-society"


@pytest.mark.parametrize("slug", ["e-mc\u00b2", "\u00bd-price-ferries", "\uff76\uff98"])
def test_an_existing_slug_stays_as_it_is_when_its_article_is_saved(editor_client, slug):
    # A slug an editor typed before slugs were composed ("mc²", "½", half-width kana):
    # a valid slug, which saving the article for another reason must neither change
    # (its address would move) nor refuse ("½" composes to "1⁄2", not a slug).
    article = make_article(title="Night ferry timetable", slug=slug)
    sent = editor_client.post(
        f"/admin/newsroom/article/{article.pk}/change/",
        article_form(slug=slug, body="The ferry leaves at 23:15."),
    )
    assert sent.status_code == 302, sent.context["adminform"].form.errors
    article.refresh_from_db()
    assert (article.slug, article.body) == (slug, "The ferry leaves at 23:15.")


def test_a_hebrew_editor_is_told_in_hebrew_that_a_sections_articles_stay(editor_client):
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    section = Section.objects.create(name="Transport", slug="transport")
    make_article(section=section)
    make_article(section=section)
    page = editor_client.get(f"/admin/newsroom/section/{section.pk}/delete/").content.decode()
    assert "filed under it" not in page
    assert "2 כתבות שמתויקות תחתיו נשארות כפי שהן, בלי מדור" in page


def test_a_hebrew_editor_is_told_what_to_mend_in_hebrew(editor_client):
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    refused = editor_client.post(
        "/admin/newsroom/article/add/",
        article_form(source_url="https://gazette.example/a", status="scheduled"),
    )
    errors = refused.context["adminform"].form.errors
    assert errors["source_name"] == [
        "תנו שם לכלי התקשורת שקישור המקור מוביל אליו: הקוראים רואים את השם."
    ]
    assert errors["published_at"] == ["לכתבה מתוזמנת נחוץ מועד."]
    past = editor_client.post(
        "/admin/newsroom/article/add/",
        article_form(status="scheduled", published_at_0="2020-01-01", published_at_1="10:00"),
    )
    said = past.context["adminform"].form.errors["published_at"][0]
    assert said.startswith("2020-01-01 10:00 (UTC) כבר עבר")
