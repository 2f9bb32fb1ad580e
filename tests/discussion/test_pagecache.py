"""The anonymous article page served from the shared cache: cheap, and the same page."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet import release
from broadsheet.discussion import forms, pagecache
from broadsheet.discussion.models import Comment
from broadsheet.discussion.readers import OWN_COOKIE
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _same_bytes(forms_clock_stopped):
    """The copies of a page one test is served are the same bytes."""


@pytest.fixture(autouse=True)
def _no_pages_in_memory():
    pagecache.copies.clear()
    yield
    pagecache.copies.clear()


def test_a_cache_hit_reads_one_row_and_answers_the_same_page_and_headers(client, article, site):
    post(article, "First words.")
    url = article.get_absolute_url()
    first = client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        hit = client.get(url)
    # The article's id and changed_at with the site settings, in one row; the
    # page itself comes from the shared cache (here in memory, as in the tests).
    assert len(ctx.captured_queries) == 1
    assert hit.status_code == 200 and hit.content == first.content
    for header in (
        "ETag", "Cache-Control", "Vary", "Content-Type", "Content-Security-Policy",
        "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
    ):  # fmt: skip
        assert hit[header] == first[header], header
    assert hit["Cache-Control"] == "public, max-age=0, must-revalidate"
    # Whether a page is personal depends on the reader's cookies.
    assert "Cookie" in hit["Vary"]
    assert not hit.cookies


def test_a_revalidation_answers_304_with_the_headers_and_nothing_else(client, article):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert etag.startswith('W/"')  # its form's time differs from copy to copy
    strong = etag.removeprefix("W/")
    for names in (etag, strong, f'"other", {etag}', f'"other", {strong}', "*"):
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url, HTTP_IF_NONE_MATCH=names)
        assert again.status_code == 304 and again.content == b""
        assert len(ctx.captured_queries) == 1
        assert again["ETag"] == etag
        assert "public" in again["Cache-Control"] and "Cookie" in again["Vary"]
        assert again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_readers_with_their_own_page_never_get_the_shared_copy(
    client, article, site, django_user_model
):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    url = article.get_absolute_url()
    shared = Client().get(url)
    assert Client().get(url).content == shared.content  # it is cached now

    reader = Client()
    reader.post(
        f"/article/{article.slug}/comments",
        {"author_name": "Ann", "body": "Held, and mine."},
        HTTP_ORIGIN="http://testserver",
    )
    assert OWN_COOKIE in reader.cookies
    mine = reader.get(url)
    assert b"Held, and mine." in mine.content
    assert "private" in mine["Cache-Control"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=shared["ETag"]).status_code == 200

    client.force_login(django_user_model.objects.create_user("ann"))
    signed_in = client.get(url, HTTP_IF_NONE_MATCH=shared["ETag"])
    assert signed_in.status_code == 200 and "private" in signed_in["Cache-Control"]
    assert b"csrfmiddlewaretoken" in signed_in.content
    assert b"csrfmiddlewaretoken" not in shared.content


def test_staff_see_drafts_and_readers_do_not(client, django_user_model):
    draft = make_article(title="Not yet", status=Article.Status.DRAFT, published_at=None)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    assert b"Not yet" in client.get(draft.get_absolute_url()).content
    assert Client().get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("status", "published"),
    [
        (Article.Status.DRAFT, None),
        (Article.Status.DRAFT, -1),
        (Article.Status.SCHEDULED, 1),
        (Article.Status.SCHEDULED, -1),
        (Article.Status.PUBLISHED, -1),
        (Article.Status.PUBLISHED, 1),
        (Article.Status.PUBLISHED, None),
    ],
)
def test_the_stamp_finds_exactly_the_live_articles(db, status, published):
    when = None if published is None else timezone.now() + timedelta(hours=published)
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    Article.objects.filter(pk=article.pk).update(status=status, published_at=when)
    live = Article.objects.live().filter(pk=article.pk).exists()
    assert (pagecache.stamp(article.slug) is not None) == live
    assert Client().get(article.get_absolute_url()).status_code == (200 if live else 404)


def _another_value(field: models.Field, value):
    if field.choices:
        return next(choice for choice, _ in field.choices if choice != value)
    if isinstance(field, models.CharField | models.TextField):
        return f"{value} and more"
    return (value or 0) + 1


def test_every_site_setting_is_part_of_the_etag(client, article, site):
    url = article.get_absolute_url()
    fields = [f for f in SiteSettings._meta.concrete_fields if not f.primary_key]
    assert len(fields) >= 6
    for field in fields:
        before = client.get(url)
        setattr(site, field.attname, _another_value(field, getattr(site, field.attname)))
        site.save()
        after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and after["ETag"] != before["ETag"], field.name


def test_a_new_site_makes_its_settings_on_the_first_page(client, article):
    SiteSettings.objects.all().delete()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and response["ETag"]
    assert SiteSettings.objects.filter(pk=1).exists()
    assert client.get(article.get_absolute_url())["ETag"] == response["ETag"]


def test_a_page_in_memory_is_served_only_while_the_shared_cache_holds_it(
    client, article, monkeypatch
):
    from django.core.cache import cache

    url = article.get_absolute_url()
    first = client.get(url)
    assert client.get(url).content == first.content  # served from memory now
    # Another server renders the page anew for the same ETag: its copy is the one.
    with monkeypatch.context() as other_server:
        other_server.setattr(pagecache, "copies", pagecache._Copies())
        pagecache.keep_page(first["ETag"], b"<p>the other server's rendering</p>")
    assert client.get(url).content == b"<p>the other server's rendering</p>"
    # A cleared cache (say, to drop pages of an old template) is rendered again.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert again.status_code == 200 and b"Hello world" in again.content
    assert len(ctx.captured_queries) > 1


def test_a_server_without_the_page_in_memory_reads_it_from_the_shared_cache(
    client, article, settings
):
    url = article.get_absolute_url()
    first = client.get(url)
    for memory in (16, 0):
        settings.BROADSHEET_PAGE_MEMORY_MB = memory
        pagecache.copies.clear()
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url)
        assert again.content == first.content and len(ctx.captured_queries) == 1
        assert client.get(url).content == first.content


def test_pages_in_memory_keep_to_their_budget(settings):
    settings.BROADSHEET_PAGE_MEMORY_MB = 1
    copies = pagecache._Copies()
    pages = {name: name.encode() * 400_000 for name in "abc"}
    copies.put("a", pages["a"])
    copies.put("b", pages["b"])
    assert copies.get("a") == pages["a"]  # now the most recently served
    copies.put("c", pages["c"])  # 1.2 MB: the least recently served goes
    assert copies.get("b") is None
    assert copies.get("a") == pages["a"] and copies.get("c") == pages["c"]
    copies.put("big", b"x" * 2_000_000)  # larger than the budget: not kept
    assert copies.get("big") is None and copies.get("c") == pages["c"]
    settings.BROADSHEET_PAGE_MEMORY_MB = 0
    copies.put("d", b"d")
    assert copies.get("d") is None


def test_an_upgrade_that_changed_the_code_redraws_cached_pages(client, article, monkeypatch):
    url = article.get_absolute_url()
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Another release: a template or a stylesheet changed, nothing in the database.
    monkeypatch.setattr(release, "fingerprint", lambda: "another-release")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_the_release_fingerprint_follows_the_files_it_is_made_of(tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    monkeypatch.setattr(release, "__file__", str(tmp_path / "release.py"))
    release.fingerprint.cache_clear()
    try:
        before = release.fingerprint()
        release.fingerprint.cache_clear()
        assert release.fingerprint() == before
        page.write_text("<p>two</p>")
        release.fingerprint.cache_clear()
        assert release.fingerprint() != before
    finally:
        release.fingerprint.cache_clear()


def _form_time(page) -> str:
    return re.search(r'name="stamp" value="([^"]+)"', page.content.decode()).group(1)


def test_a_kept_page_gives_each_copy_the_time_it_was_served(client, article, settings, monkeypatch):
    """The minimum time between serving the form and posting it counts from this
    reader's copy: a bot that fetches a page kept for minutes and posts at once is
    caught as if the page had been drawn for it."""
    settings.BROADSHEET_MIN_SECONDS_TO_POST = 3
    url = article.get_absolute_url()
    first = client.get(url)
    later = time.time() + 120
    monkeypatch.setattr(forms, "time", SimpleNamespace(time=lambda: later))
    with CaptureQueriesContext(connection) as ctx:
        kept = client.get(url)
    assert len(ctx.captured_queries) == 1  # the kept page, not drawn again
    assert kept["ETag"] == first["ETag"]
    assert forms.seconds_since_stamp(_form_time(first)) >= 119
    assert forms.seconds_since_stamp(_form_time(kept)) < 1
    # Apart from its form's time, it is the page that was kept.
    assert kept.content.replace(_form_time(kept).encode(), b"") == first.content.replace(
        _form_time(first).encode(), b""
    )
    client.post(
        f"/article/{article.slug}/comments",
        {"author_name": "Bot", "body": "Great post", "stamp": _form_time(kept)},
        HTTP_ORIGIN="http://testserver",
    )
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_a_page_without_a_form_is_kept_as_it_is():
    page = b"<p>Comments are closed.</p>"
    assert pagecache.restamped(page, "fresh") is page


def test_a_page_that_has_the_time_already_is_not_copied_again():
    page = b'<form><input type="hidden" name="stamp" value="old"></form>'
    fresh = pagecache.restamped(page, "new")
    assert fresh == b'<form><input type="hidden" name="stamp" value="new"></form>'
    assert pagecache.restamped(fresh, "new") is fresh


def test_the_database_cache_keeps_the_pages_of_a_busy_five_minutes(database_page_cache):
    """A site without Redis keeps its pages in a database table, which Django culls by
    key order, live or not, once it holds MAX_ENTRIES rows (300 unless set): a thousand
    pages read within PAGE_CACHE_SECONDS must all still be there."""
    pages = {f'"{n:032x}"': f"<p>Page {n}</p>".encode() for n in range(1000)}
    for etag, content in pages.items():
        pagecache.keep_page(etag, content)
    pagecache.copies.clear()  # another server: only the shared cache has them
    kept = sum(pagecache.cached_page(etag) == content for etag, content in pages.items())
    assert kept == len(pages)


def test_addresses_that_differ_in_nothing_the_page_reads_keep_one_copy(
    client, article, site, database_page_cache
):
    """A link with ?fbclid=..., ?utm_source=..., made-up parameters or a page number past
    the last is served the copy readers share, or drawn and not kept: such
    addresses must not fill the site's database cache (4,000 rows) and push readers'
    pages out of it."""
    site.comments_per_page = 1
    site.save()
    post(article, "First words.")
    post(article, "Second words.")
    url = article.get_absolute_url()
    first, newest = client.get(url), client.get(url + "?order=newest")
    assert len(database_page_cache()) == 4  # two pages, each a digest under its ETag and its bytes
    for n in range(60):
        for query, same in (
            (f"?fbclid=IwAR{n}", first),
            (f"?page=1&utm_source=x{n}", first),
            (f"?order=newest&cb={n}", newest),
            (f"?order=bogus{n}", first),
        ):
            junk = client.get(url + query)
            assert junk["ETag"] == same["ETag"] and junk.content == same.content, query
    last = client.get(url + "?page=2")
    assert b"Second words." in last.content
    for n in range(3, 60):
        past = client.get(url + f"?page={n}")
        assert past.status_code == 200 and b"Second words." in past.content
        assert past.content == last.content
    assert len(database_page_cache()) == 6  # and the second page


def test_other_spellings_of_the_site_s_name_are_drawn_and_not_kept(
    client, article, settings, database_page_cache
):
    """ALLOWED_HOSTS takes an allowed name in any case, with a trailing dot and any
    port, and the page names itself with the Host as sent: a copy kept for each such
    spelling would let one client fill the cache. Only the usual one is kept."""
    settings.ALLOWED_HOSTS = ["localhost"]
    url = article.get_absolute_url()
    usual = client.get(url, HTTP_HOST="localhost")
    assert client.get(url, HTTP_HOST="localhost:80").status_code == 200  # the server's port
    assert len(database_page_cache()) == 4  # two pages, each its digest and its bytes
    for host in [
        "LOCALHOST",
        "localhost.",
        "LocalHost.:80",
        *(f"localhost:{n}" for n in range(1, 40)),
    ]:
        odd = client.get(url, HTTP_HOST=host)
        assert odd.status_code == 200 and f"//{host}/" in odd.content.decode()
    api = f"/api/v1/articles/{article.slug}/comments"
    for host in ["LOCALHOST", "localhost:81"]:
        assert client.get(api, HTTP_HOST=host).status_code == 200
    assert len(database_page_cache()) == 4
    assert client.get(url, HTTP_HOST="localhost").content == usual.content
