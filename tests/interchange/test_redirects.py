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
        "/2016/12/06/tom-and-jerry/2/",  # its second page (<!--nextpage-->)
        "/2016/12/06/tom-and-jerry/amp/",  # its AMP copy, where aggregators link
        "/2016/12/06/tom-and-jerry/amp",
        "/2016/12/06/tom-and-jerry/embed/",  # the copy other sites embedded
        "/2016/12/06/tom-and-jerry/trackback/",
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


def _renamed(pid: int, slug: str, *, olds: dict[str, list[str]], date: str = "2019/05/01") -> str:
    """A post at /<date>/<slug>/ that WordPress knew by other slugs or dates before."""
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, values in olds.items()
        for value in values
    )
    from tests.interchange.conftest import WXR_BLOG

    return (
        f"<item><title>Post {pid}</title><link>{WXR_BLOG}/{date}/{slug}/</link>"
        f"<content:encoded><![CDATA[Text {pid}.]]></content:encoded>"
        f"<wp:post_id>{pid}</wp:post_id><wp:post_name>{slug}</wp:post_name>"
        f"<wp:post_date>{date.replace('/', '-')} 09:00:00</wp:post_date>"
        f"<wp:post_date_gmt>{date.replace('/', '-')} 06:00:00</wp:post_date_gmt>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        f"{metas}</item>"
    )


def test_a_renamed_or_redated_posts_former_addresses_redirect_as_in_wordpress(client, db, tmp_path):
    """WordPress keeps a renamed post's former slugs (``_wp_old_slug``, one entry each)
    and a redated one's former dates (``_wp_old_date``), and answers the addresses they
    made with a redirect: links shared before an editor fixed a headline's slug. Each
    answers 301 here. A post's own permalink wins over another's former one, whichever
    comes first in the file, as WordPress redirects only an address no post has."""
    from broadsheet.newsroom.models import Redirect
    from tests.interchange.conftest import run_import, tally, wxr_file

    hebrew = "%d7%a9%d7%9c%d7%95%d7%9d"  # שלום, as WordPress keeps a slug
    path = wxr_file(
        tmp_path, "renamed.xml",
        _renamed(1, "ferry-vote-passes", olds={
            "_wp_old_slug": ["ferry-vote", "ferry-vote-pases", hebrew, ""],
            "_wp_old_date": ["2019-04-30", "2018-05-01"],
        }),
        # Its former slug is the next post's permalink, and the other way round.
        _renamed(2, "harbour", olds={"_wp_old_slug": ["harbour-news"]}),
        _renamed(3, "harbour-news", olds={"_wp_old_slug": ["harbour"]}),
        # A permalink without the slug: no address of it changed.
        _renamed(4, "plain", olds={"_wp_old_slug": ["older"]}).replace(
            "/2019/05/01/plain/", "/?p=4"
        ),
    )  # fmt: skip
    run_import("wxr", path, "--no-train")
    slugs = ("ferry-vote-passes", "harbour", "harbour-news")
    ferry, harbour, news = (Article.objects.get(slug=s) for s in slugs)
    for old, article in [
        ("/2019/05/01/ferry-vote-passes/", ferry),
        ("/2019/05/01/ferry-vote/", ferry),
        ("/2019/05/01/ferry-vote-pases/comment-page-2/", ferry),
        (quote("/2019/05/01/שלום/"), ferry),
        ("/2019/04/30/ferry-vote-passes/", ferry),
        ("/2018/05/01/ferry-vote-passes/", ferry),
        ("/2019/05/01/harbour/", harbour),
        ("/2019/05/01/harbour-news/", news),
    ]:
        response = client.get(old)
        assert (old, response.status_code) == (old, 301)
        assert response["Location"] == article.get_absolute_url()
    # Not both changes at once (WordPress answers neither), nor a slug of nothing.
    assert client.get("/2019/04/30/ferry-vote/").status_code == 404
    assert client.get("/2019/05/01/").status_code == 404
    assert client.get("/2019/05/01/older/").status_code == 404
    # A second run finds them all there and changes nothing.
    redirects = sorted(Redirect.objects.values_list("old_path", "article_id"))
    assert tally(run_import("wxr", path, "--no-train"), "posts") == [4, 0, 0, 4, 0]
    assert sorted(Redirect.objects.values_list("old_path", "article_id")) == redirects


def test_a_disqus_thread_of_a_posts_former_address_joins_its_article(db, tmp_path):
    """Disqus keys a thread by the address its page had when the first comment came: a
    post renamed since keeps its comments there, under its former slug."""
    from broadsheet.discussion.models import Comment
    from tests.interchange.conftest import WXR_BLOG, run_import, wxr_file
    from tests.interchange.test_disqus_import import _disqus, _post, _thread

    wxr = wxr_file(
        tmp_path, "renamed.xml",
        _renamed(1, "ferry-vote-passes", olds={"_wp_old_slug": ["ferry-vote"]}),
    )  # fmt: skip
    run_import("wxr", wxr, "--no-train")
    disqus = _disqus(
        tmp_path / "d.xml", _thread(1, f"{WXR_BLOG}/2019/05/01/ferry-vote/"), _post(10, 1)
    )
    run_import("disqus", disqus, "--no-train")
    assert Comment.objects.get().article == Article.objects.get(slug="ferry-vote-passes")


def test_a_permalink_ending_in_a_number_is_found_as_it_is_and_with_its_parts(client, db, tmp_path):
    """A permalink of the form /archives/%post_id%/ ends in a number, as a post's later
    page does (/archives/12/2/): the address is looked up as it is first."""
    from tests.interchange.conftest import WXR_BLOG, run_import, wxr_file, wxr_post

    post = wxr_post(12, "Numbered", "<p>Text.</p>", slug="numbered")
    path = wxr_file(
        tmp_path, "n.xml", post.replace(f"{WXR_BLOG}/numbered/", f"{WXR_BLOG}/archives/12/")
    )
    run_import("wxr", path, "--no-train")
    numbered = Article.objects.get(slug="numbered").get_absolute_url()
    for old in ("/archives/12/", "/archives/12", "/archives/12/2/", "/archives/12/amp/"):
        assert client.get(old)["Location"] == numbered
    assert client.get("/archives/13/").status_code == 404
    assert client.get("/archives/").status_code == 404


def test_an_articles_former_addresses_travel_in_an_export_as_wordpress_keeps_them(
    client, db, tmp_path
):
    """``export wxr`` writes each former slug as ``_wp_old_slug`` (encoded as WordPress
    keeps a slug), which WordPress's importer stores and ``wp_old_slug_redirect`` answers:
    an editor's renaming here, and the former slugs of the WordPress it came from. Every
    other former address travels whole in ``_broadsheet_redirect``. A new site importing
    the file answers each of them with 301; importing it again adds none."""
    from broadsheet.interchange.wxr import reader
    from broadsheet.newsroom import actions
    from broadsheet.newsroom.models import Redirect
    from tests.interchange.conftest import run_export, run_import, wxr_file
    from tests.interchange.test_roundtrip import wipe

    source = wxr_file(
        tmp_path, "renamed.xml",
        _renamed(1, "ferry-vote-passes", olds={
            "_wp_old_slug": ["ferry-vote"], "_wp_old_date": ["2019-04-30"],
        }),
    )  # fmt: skip
    run_import("wxr", source, "--no-train")
    article = Article.objects.get(slug="ferry-vote-passes")
    # Renamed here twice once readers had it, first in Hebrew.
    for slug in ("שלום-עולם", "ferry-passes"):
        article.slug = slug
        actions.save_article(article)
    before = set(Redirect.objects.values_list("old_path", flat=True))
    assert {"/article/ferry-vote-passes/", "/article/שלום-עולם/"} <= before

    text = run_export("wxr", "--base-url", "https://new.example.com")
    exported = tmp_path / "export.xml"
    exported.write_text(text, encoding="utf-8")
    posts = (p for p in reader.read(exported) if isinstance(p, reader.Post))
    post = next(p for p in posts if p.post_id == str(article.pk))
    hebrew = "%d7%a9%d7%9c%d7%95%d7%9d-%d7%a2%d7%95%d7%9c%d7%9d"  # as WordPress keeps it
    assert post.repeated["_wp_old_slug"] == ["ferry-vote-passes", "ferry-vote", hebrew]
    assert post.repeated["_broadsheet_redirect"] == [
        "/2019/04/30/ferry-vote-passes/",
        "/2019/05/01/ferry-vote-passes/",
        "/2019/05/01/ferry-vote/",
    ]  # the ?p=1 of the blog it came from names another post in the file: left out

    wipe()
    run_import("wxr", exported, "--no-train")
    moved = Article.objects.get(slug="ferry-passes")
    for old in [*sorted(before - {"/?p=1"}), "/article/ferry-vote/"]:
        response = client.get(quote(old))
        assert (old, response.status_code) == (old, 301)
        assert response["Location"] == moved.get_absolute_url()
    paths = sorted(Redirect.objects.values_list("old_path", "article_id"))
    run_import("wxr", exported, "--no-train")
    assert sorted(Redirect.objects.values_list("old_path", "article_id")) == paths
