"""Old WordPress addresses answer 301 with the article's new address."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from broadsheet.newsroom.models import Article


@pytest.mark.parametrize(
    "old",
    [
        "/2016/12/06/tom-and-jerry/",
        "/2016/12/06/tom-and-jerry",
        "/?p=10",
        "/2016/12/06/tom-and-jerry/comment-page-2/",  # a page of its comments
    ],
)
def test_old_permalinks_redirect_permanently(client, wxr_site, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == "/article/tom-and-jerry/"


def test_non_ascii_permalink_redirects(client, wxr_site):
    response = client.get(quote("/2017/03/01/שלום-עולם/"))
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(slug="שלום-עולם").get_absolute_url()


def test_drafts_are_not_revealed_by_their_old_links(client, wxr_site):
    assert client.get("/2017/02/02/members-only/").status_code == 404
    assert client.get("/?p=13").status_code == 200  # just the front page


def test_unknown_paths_still_404(client, wxr_site):
    assert client.get("/2016/12/06/never-was/").status_code == 404
    assert client.get("/?p=999").status_code == 200


def test_a_page_named_by_its_query_redirects_to_its_own_article(client, db, tmp_path):
    from tests.interchange.conftest import run_import
    from tests.interchange.test_disqus_import import _disqus, _post, _thread

    path = _disqus(
        tmp_path / "q.xml",
        _thread(1, "http://x.example/view.php?id=5"),
        _thread(2, "http://x.example/view.php?id=6"),
        _post(10, 1),
        _post(11, 2),
    )
    run_import("disqus", path, "--no-train", "--create-missing")
    five, six = (Article.objects.get(title=t) for t in ("T1", "T2"))
    assert client.get("/view.php?id=5")["Location"] == five.get_absolute_url()
    # Tracking parameters and their order do not make another page.
    assert client.get("/view.php?utm_source=feed&id=6")["Location"] == six.get_absolute_url()
    assert client.get("/view.php?id=7").status_code == 404


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/category/news/", "/section/news/"),
        ("/category/world/news/", "/section/news/"),  # a child under its parent
        ("/category/news/page/3/", "/section/news/?page=3"),
        ("/category/news/feed/", "/section/news/feed/"),
        ("/category/news/feed/rss2/", "/section/news/feed/"),
        ("/tag/trams/page/2/", "/tag/trams/?page=2"),
        ("/author/dana/page/2/", "/author/dana/?page=2"),
        ("/page/4/", "/?page=4"),
        (quote("/category/חדשות/"), quote("/section/חדשות/")),
    ],
)
def test_wordpress_archive_addresses_lead_to_the_same_archive_here(client, db, old, new):
    from broadsheet.newsroom.models import Author, Section, Tag

    Section.objects.create(name="News", slug="news")
    Section.objects.create(name="חדשות", slug="חדשות")
    Tag.objects.create(name="Trams", slug="trams")
    Author.objects.create(name="Dana", slug="dana")
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_an_archive_this_site_does_not_have_stays_not_found(client, db):
    assert client.get("/category/gone/").status_code == 404
    assert client.get("/category/gone/feed/").status_code == 404
