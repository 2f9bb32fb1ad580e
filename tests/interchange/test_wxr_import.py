"""Importing WordPress exports (WXR 1.0 to 1.2)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article, Author, Redirect, Section, Tag
from tests.interchange.conftest import SAMPLES, run_import, tally, wxr_file, wxr_post

ORIGIN = "wxr:https://gazette.example.com"


def comment(cid: int) -> Comment:
    return Comment.objects.get(origin=f"{ORIGIN}#c{cid}")


def test_every_post_status_is_imported_and_only_published_ones_are_public(wxr_site):
    statuses = dict(Article.objects.values_list("origin", "status"))
    assert statuses == {
        f"{ORIGIN}#10": "published",
        f"{ORIGIN}#11": "draft",  # draft
        f"{ORIGIN}#12": "scheduled",  # future
        f"{ORIGIN}#13": "draft",  # password-protected
        f"{ORIGIN}#14": "draft",  # private
        f"{ORIGIN}#15": "draft",  # pending review
        f"{ORIGIN}#16": "published",
        f"{ORIGIN}#20": "published",  # a page
    }
    assert "password-protected" in wxr_site


@pytest.mark.parametrize("password", [" ", "  ", "\t"])
def test_a_password_of_spaces_keeps_its_post_from_view(db, tmp_path, password):
    # WordPress asks for any password that is not empty, spaces too; only white space
    # on lines of its own is a pretty-printer's padding (the test below).
    text = (SAMPLES / "wordpress-1.2.xml").read_text(encoding="utf-8")
    text = text.replace("<![CDATA[hunter2]]>", f"<![CDATA[{password}]]>")
    path = tmp_path / "spaces.xml"
    path.write_text(text, encoding="utf-8")
    output = run_import("wxr", path, "--no-train")
    assert Article.objects.get(origin=f"{ORIGIN}#13").status == "draft"
    assert "post 13 is password-protected" in output


def test_with_no_pages_pages_are_reported_as_skipped_with_their_comments(db):
    output = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train", "--no-pages")
    assert tally(output, "pages") == [1, 0, 0, 1, 0]
    assert tally(output, "attachments") == [1, 0, 0, 1, 0]
    assert tally(output, "comments") == [18, 17, 0, 1, 0]
    assert not Article.objects.filter(origin=f"{ORIGIN}#20").exists()
    assert not Comment.objects.filter(author_name="Page Visitor").exists()
    assert "comments on page 20 (publish) were skipped with it: 1 (--no-pages)" in output
    assert "1 WordPress page was left out (--no-pages), and its comments with it." in output


@pytest.mark.parametrize("given", [(), ("--pages",)])  # --pages: what older scripts say
def test_a_page_and_its_comments_come_in_and_its_old_addresses_lead_to_it(db, client, given):
    output = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train", *given)
    assert tally(output, "pages") == [1, 1, 0, 0, 0]
    assert tally(output, "posts") == [7, 7, 0, 0, 0]
    assert tally(output, "comments") == [18, 18, 0, 0, 0]
    assert "1 WordPress page is an unlisted article: each at its own address" in output
    page = Article.objects.get(origin=f"{ORIGIN}#20")
    assert (page.title, page.slug, page.status) == ("About us", "about", "published")
    assert not page.listed and Article.objects.get(origin=f"{ORIGIN}#10").listed
    visitor = Comment.objects.get(author_name="Page Visitor")
    assert visitor.article == page and page.comment_count == 1
    for old in ("/about/", "/?page_id=20"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, page.get_absolute_url())
    assert client.get(page.get_absolute_url()).status_code == 200
    again = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train", *given)
    assert tally(again, "pages") == [1, 0, 0, 1, 0] and Comment.objects.count() == 18


def test_post_fields_dates_and_html_body(wxr_site):
    article = Article.objects.get(origin=f"{ORIGIN}#10")
    assert article.title == "Tom & Jerry’s election: a story"
    assert article.slug == "tom-and-jerry"
    assert article.published_at == datetime(2016, 12, 6, 10, 20, 30, tzinfo=UTC)
    assert article.body_format == Article.BodyFormat.HTML
    assert "<!--more-->" in article.body  # kept as written, for export
    assert "more" not in article.body_html
    assert '<figure><img src="https://gazette.example.com/wp-content/uploads/cat.jpg"' in (
        article.body_html
    )
    assert "<figcaption>A cat on the <em>ballot</em></figcaption></figure>" in article.body_html
    assert "[gallery" not in article.body_html
    assert "[sic]" in article.body_html
    assert "<script" not in article.body_html and "alert" not in article.body_html
    assert "line<br>" in article.body_html
    # The teaser before <!--more--> is the summary when the excerpt is empty.
    assert article.summary == "The first paragraph & a teaser, שלום, مرحبا, 🎉."
    assert article.author.name == "Dana Writer"
    assert article.comments_open


def test_a_draft_whose_date_was_never_set_has_none(wxr_site):
    draft = Article.objects.get(origin=f"{ORIGIN}#11")
    # post_date_gmt zero: WordPress's post_date is then only when it was last saved.
    assert draft.published_at is None
    # A pending post whose date was set keeps it.
    pending = Article.objects.get(origin=f"{ORIGIN}#15")
    assert pending.published_at == datetime(2017, 2, 4, 8, 0, tzinfo=UTC)
    assert draft.summary == "A short excerpt & more"
    assert draft.slug == "a-draft-in-progress"
    assert not draft.comments_open


def test_categories_keep_their_hierarchy_and_extra_ones_become_tags(wxr_site):
    parents = {s.slug: s.parent.slug if s.parent else None for s in Section.objects.all()}
    assert parents == {"news": None, "world": "news", "middle-east": "world"}
    article = Article.objects.get(origin=f"{ORIGIN}#10")
    assert article.section.slug == "middle-east"
    assert set(article.tags.values_list("slug", flat=True)) == {"elections", "בחירות", "news"}
    assert Tag.objects.get(slug="בחירות").name == "בחירות"


def test_authors_from_the_header_and_from_bylines(wxr_site):
    assert dict(Author.objects.values_list("slug", "name")) == {
        "dana": "Dana Writer",
        "sara": "שרה כהן",
        "ghost": "ghost",  # named by a post, not declared
    }


def test_comments_written_by_signed_in_authors_keep_their_account(wxr_site):
    dana, sara = (get_user_model().objects.get(username=name) for name in ("dana", "sara"))
    assert comment(103).user == dana  # wp:comment_user_id 1 = dana's wp:author_id
    assert comment(200).user == sara  # 2 = sara
    assert comment(100).user is None  # 0: a visitor
    assert Author.objects.get(slug="dana").user == dana
    assert Author.objects.get(slug="sara").user == sara
    assert Author.objects.get(slug="ghost").user is None  # not in the header: no account
    assert set(Comment.objects.exclude(user=None).values_list("origin", flat=True)) == {
        f"{ORIGIN}#c103",
        f"{ORIGIN}#c200",
    }


def test_imported_accounts_grant_no_access(wxr_site):
    assert tally(wxr_site, "users") == [2, 2, 0, 0, 0]
    for user in get_user_model().objects.all():
        assert not user.is_active and not user.is_staff and not user.is_superuser
        assert not user.has_usable_password()
    dana = get_user_model().objects.get(username="dana")
    assert (dana.email, dana.first_name, dana.last_name) == (
        "dana@gazette.example.com", "Dana", "Writer",
    )  # fmt: skip


def test_a_user_id_that_is_not_an_author_is_noted_and_left_without_account(wxr_site):
    # A WordPress subscriber: exports do not list them among the authors.
    assert comment(104).user is None
    assert (
        "line 175: comment 104 was written by user '7', who is not among the file's "
        "authors: imported without an account"
    ) in wxr_site


def test_an_existing_account_with_the_login_is_used_as_it_is(db, django_user_model):
    editor = django_user_model.objects.create_user("dana", password="x" * 12, is_staff=True)
    output = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert tally(output, "users") == [2, 1, 0, 1, 0]
    editor.refresh_from_db()
    assert editor.is_active and editor.is_staff and editor.has_usable_password()
    assert comment(103).user == editor
    assert Author.objects.get(slug="dana").user == editor


def test_non_ascii_permalink_becomes_a_unicode_slug_and_redirect(wxr_site):
    article = Article.objects.get(origin=f"{ORIGIN}#16")
    assert article.slug == "שלום-עולם"
    assert Redirect.objects.filter(old_path="/2017/03/01/שלום-עולם/", article=article).exists()
    assert Redirect.objects.filter(old_path="/?p=16", article=article).exists()


def test_every_comment_status_and_type(wxr_site):
    assert comment(100).status == "approved"
    assert comment(142).status == "pending"  # 0
    assert comment(140).status == "spam"
    assert comment(141).status == "deleted"  # trash
    assert comment(143).status == "deleted"  # post-trashed
    assert comment(130).kind == "pingback"
    assert comment(131).kind == "trackback"
    assert comment(131).status == "pending"
    assert comment(102).kind == "comment"  # empty comment_type


def test_comment_count_is_the_approved_count(wxr_site):
    for article in Article.objects.all():
        assert article.comment_count == article.comments.filter(status="approved").count()
    assert Article.objects.get(origin=f"{ORIGIN}#10").comment_count == 11


def test_deep_threads_and_parents_listed_after_their_replies(wxr_site):
    chain = [comment(i) for i in (100, 101, 102, 103, 104, 105)]
    for depth, c in enumerate(chain):
        assert c.depth == depth
        assert c.thread_id == chain[0].pk
        assert c.thread_key == chain[0].created_at
    for parent, child in itertools.pairwise(chain):
        assert child.parent_id == parent.pk
    early, late = comment(110), comment(160)
    assert early.parent_id == late.pk and early.depth == 1 and early.thread_id == late.pk


def test_orphans_become_top_level_and_are_reported(wxr_site):
    orphan = comment(120)
    assert orphan.parent_id is None and orphan.depth == 0 and orphan.thread_id == orphan.pk
    assert "replies to comment 999, which is not in the file" in wxr_site


def test_comment_fields_and_characters_survive(wxr_site):
    jane = comment(100)
    assert jane.author_email == "jane@example.org"
    assert jane.author_url == "https://jane.example.org"
    assert str(jane.ip_address) == "203.0.113.5"
    assert jane.created_at == datetime(2016, 12, 6, 11, 0, tzinfo=UTC)
    assert "<strong>paragraph</strong>" in jane.body_html
    assert 'rel="nofollow ugc noopener"' in jane.body_html
    assert comment(101).body == "אני לא מסכים. ‏עברית עם ניקוד: שָׁלוֹם"
    assert comment(101).ip_address == "2001:db8::1"
    assert comment(102).body == "مرحبا بالجميع 👋🏽 and 👨‍👩‍👧"
    assert comment(105).ip_address is None  # "unknown" is not an address
    assert comment(130).author_name == "Other Blog » A reply"


def test_cdata_holding_the_end_marker_and_entities(wxr_site):
    c = comment(150)
    assert c.body == (
        "In XML a CDATA section ends with ]]> and &amp; stays &amp;amp; here: "
        "<code>a[1]]></code> &lt;3 &copy; &#x1F600;"
    )
    assert "<code>a[1]]&gt;</code>" in c.body_html
    assert "© 😀" in c.body_html


def test_importing_again_creates_nothing(wxr_site):
    counts = (Article.objects.count(), Comment.objects.count(), Redirect.objects.count())
    again = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert (Article.objects.count(), Comment.objects.count(), Redirect.objects.count()) == counts
    assert tally(again, "posts") == [7, 0, 0, 7, 0]
    assert tally(again, "comments") == [18, 0, 0, 18, 0]
    assert tally(again, "users") == [2, 0, 0, 2, 0]
    assert get_user_model().objects.count() == 2
    assert comment(103).user.username == "dana"


@pytest.mark.parametrize("moved", ["http://gazette.example.com", "https://www.gazette.example.com"])
def test_the_same_blog_at_another_scheme_or_www_is_updated_not_copied(wxr_site, tmp_path, moved):
    counts = (Article.objects.count(), Comment.objects.count(), Redirect.objects.count())
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    for tag in ("wp:base_site_url", "wp:base_blog_url"):
        text = text.replace(f"<{tag}>https://gazette.example.com<", f"<{tag}>{moved}<")
    path = tmp_path / "moved.xml"
    path.write_text(text, encoding="utf-8")
    again = run_import("wxr", path, "--no-train")
    assert (Article.objects.count(), Comment.objects.count(), Redirect.objects.count()) == counts
    assert tally(again, "posts") == [7, 0, 0, 7, 0]
    assert f"this blog ({moved}) was imported before as https://gazette.example.com" in again


def test_a_pingback_named_after_a_long_post_title_keeps_every_character(db, tmp_path):
    # A pingback's author is the linking post's title, as long as the blog's title and
    # the post's: WordPress keeps up to 255 bytes, entities included. Real exports hold
    # such names past 200 characters (« Blog Archive » and a title listing its topics).
    title = "Café & Co &raquo; Archives &raquo; " + "notes, liens et références, " * 7
    name = title.replace("&raquo;", "»").replace("&amp;", "&").strip()
    assert 200 < len(name) <= 255 and len(title.encode()) <= 255
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    text = text.replace("<![CDATA[Jane Doe]]>", f"<![CDATA[{title}]]>", 1)
    path = tmp_path / "long.xml"
    path.write_text(text, encoding="utf-8")
    output = run_import("wxr", path, "--no-train")
    assert "was cut" not in output
    assert Comment.objects.filter(author_name=name).exists()


def test_a_name_longer_than_wordpress_keeps_is_cut_with_a_note(db, tmp_path):
    # Only a tool other than WordPress writes one: WordPress's column holds 255 bytes.
    long_name = "Pingback from " + "a very long blog title, " * 12  # 302 characters
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    text = text.replace("<![CDATA[Jane Doe]]>", f"<![CDATA[{long_name}]]>", 1)
    path = tmp_path / "long.xml"
    path.write_text(text, encoding="utf-8")
    output = run_import("wxr", path, "--no-train")
    assert f"its author's name ({len(long_name.strip())} characters) was cut to 255" in output
    assert Comment.objects.filter(author_name=long_name.strip()[:255]).exists()


def test_importing_a_changed_file_updates_what_changed(wxr_site, tmp_path):
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    text = text.replace("<![CDATA[Binned.]]>", "<![CDATA[Binned, then edited.]]>")
    text = text.replace(
        "<wp:comment_content><![CDATA[Held for moderation.]]></wp:comment_content>\n"
        "\t\t\t<wp:comment_approved><![CDATA[0]]>",
        "<wp:comment_content><![CDATA[Held for moderation.]]></wp:comment_content>\n"
        "\t\t\t<wp:comment_approved><![CDATA[1]]>",
    )
    text = text.replace("<![CDATA[Members only]]>", "<![CDATA[Members only (updated)]]>")
    changed = tmp_path / "changed.xml"
    changed.write_text(text)
    output = run_import("wxr", changed, "--no-train")
    assert tally(output, "posts") == [7, 0, 1, 6, 0]
    assert tally(output, "comments") == [18, 0, 2, 16, 0]
    assert comment(141).body == "Binned, then edited."
    assert comment(142).status == "approved"
    article = Article.objects.get(origin=f"{ORIGIN}#10")
    assert article.comment_count == 12 == article.comments.filter(status="approved").count()


def test_dry_run_reports_and_writes_nothing(db):
    output = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--dry-run")
    assert output.startswith("Dry run: nothing was written.")
    assert tally(output, "comments")[:2] == [18, 18]
    assert not Article.objects.exists() and not Comment.objects.exists()
    assert not Author.objects.exists() and not Redirect.objects.exists()
    assert tally(output, "users") == [2, 2, 0, 0, 0]
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    ("name", "base", "author"),
    [
        ("wordpress-1.0.xml", "http://old.example.com/blog", "admin"),
        ("wordpress-1.1.xml", "http://middle.example.com/blog", "The Admin"),
    ],
)
def test_older_wxr_versions_and_their_namespaces(db, name, base, author):
    run_import("wxr", SAMPLES / name, "--no-train")
    article = Article.objects.get(origin=f"wxr:{base}#1")
    assert article.title == "Hello world!"
    assert article.author.name == author
    assert article.section.slug == "uncategorized"
    first, reply = Comment.objects.order_by("created_at")
    assert (first.kind, first.status, reply.status) == ("comment", "approved", "pending")
    assert reply.parent_id == first.pk and reply.depth == 1
    # Plain permalinks (?p=1) under a blog in a sub-directory.
    assert Redirect.objects.filter(old_path="/blog/?p=1", article=article).exists()


def test_imported_statuses_train_the_moderation_filter(db):
    output = run_import("wxr", SAMPLES / "wordpress-1.2.xml")
    assert "The moderation filter learned from" in output or "filter is not available" in output


def test_author_url_that_is_not_a_web_address_is_dropped_with_a_note(db, tmp_path):
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    hostile = text.replace(
        "<wp:comment_author><![CDATA[יוסי]]></wp:comment_author>\n"
        "\t\t\t<wp:comment_author_email><![CDATA[yossi@example.co.il]]></wp:comment_author_email>\n"
        "\t\t\t<wp:comment_author_url></wp:comment_author_url>",
        "<wp:comment_author><![CDATA[יוסי]]></wp:comment_author>\n"
        "\t\t\t<wp:comment_author_email><![CDATA[yossi@example.co.il]]></wp:comment_author_email>\n"
        "\t\t\t<wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>",
    )
    assert hostile != text
    path = tmp_path / "hostile-url.xml"
    path.write_text(hostile)
    output = run_import("wxr", path)
    assert "is not a web address: dropped" in output
    assert Comment.objects.get(author_name="יוסי").author_url == ""


def test_two_blogs_of_one_network_stay_apart(db, tmp_path):
    # WordPress.com (and a multisite network) writes the same base_site_url for every blog.
    text = (SAMPLES / "wordpress-1.0.xml").read_text()
    network = text.replace(
        "<wp:base_site_url>http://old.example.com/blog</wp:base_site_url>",
        "<wp:base_site_url>http://wordpress.com/</wp:base_site_url>",
    )
    for blog in ("first", "second"):
        path = tmp_path / f"{blog}.xml"
        path.write_text(
            network.replace(
                "<wp:base_blog_url>http://old.example.com/blog</wp:base_blog_url>",
                f"<wp:base_blog_url>https://{blog}.wordpress.com</wp:base_blog_url>",
            )
        )
        run_import("wxr", path, "--no-train")
    origins = list(Article.objects.values_list("origin", flat=True))
    assert len(origins) == 2 * len(set(o.split("#")[1] for o in origins))
    assert {o.split("#")[0] for o in origins} == {
        "wxr:https://first.wordpress.com",
        "wxr:https://second.wordpress.com",
    }
    assert Comment.objects.count() == 2 * Comment.objects.filter(origin__contains="first").count()


def test_a_comment_without_a_date_or_with_an_empty_website_is_kept(db, tmp_path):
    text = (SAMPLES / "wordpress-1.0.xml").read_text()
    for tag in ("wp:comment_date", "wp:comment_date_gmt"):
        start, end = text.index(f"<{tag}>"), text.index(f"</{tag}>")
        text = text[: start + len(tag) + 2] + text[end:]
    text = text.replace(
        "<wp:comment_author_url>http://wordpress.org/</wp:comment_author_url>",
        "<wp:comment_author_url>http://</wp:comment_author_url>",
    )
    path = tmp_path / "undated.xml"
    path.write_text(text)
    output = run_import("wxr", path, "--no-train")
    assert "has no readable date: imported with its article's date" in output
    comment = Comment.objects.get(author_name="Mr WordPress")
    assert comment.created_at == comment.article.published_at
    assert comment.author_url == "" and "not a web address" not in output
    run_import("wxr", path, "--no-train")  # again: the same comments, found and left alone
    assert Comment.objects.count() == 2


def _items_file(tmp_path, items: str):
    path = tmp_path / "items.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title>'
        "<link>https://conv.example.com</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    return path


def _item(title: str, extra: str = "", post_type: str = "post") -> str:
    kind = f"<wp:post_type>{post_type}</wp:post_type>" if post_type else ""
    return (
        f"<item><title>{title}</title><link>https://conv.example.com/{title.lower()}/</link>"
        f"<content:encoded>Text of {title}.</content:encoded>{kind}{extra}</item>"
    )


def test_posts_without_ids_are_imported_and_a_repeated_id_keeps_the_first(db, tmp_path):
    dated = "<wp:status>publish</wp:status><wp:post_date_gmt>2015-03-01 10:00:00</wp:post_date_gmt>"
    path = _items_file(
        tmp_path,
        _item("One", f"<wp:post_id></wp:post_id>{dated}")
        + _item("Two", f"<wp:post_id>0</wp:post_id>{dated}")
        + _item("Three", f"<wp:post_id>0</wp:post_id>{dated}")
        + _item("Four", f"<wp:post_id>7</wp:post_id>{dated}")
        + _item("Five", f"<wp:post_id>7</wp:post_id>{dated}"),
    )
    output = run_import("wxr", path, "--no-train")
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Four", "One", "Three", "Two"
    ]  # fmt: skip
    assert "post 7 appears twice in the file: the first was imported" in output
    assert tally(output, "posts") == [5, 4, 0, 1, 0]
    again = run_import("wxr", path, "--no-train")  # the same posts are found again
    assert Article.objects.count() == 4
    assert tally(again, "posts")[1] == 0


def test_what_a_file_leaves_out_is_read_as_wordpress_reads_it(db, tmp_path):
    comment = (
        "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>A</wp:comment_author>"
        "<wp:comment_date_gmt>2015-03-01 11:00:00</wp:comment_date_gmt>"
        "<wp:comment_content>No approval given.</wp:comment_content></wp:comment>"
    )
    path = _items_file(
        tmp_path,
        _item("Nostatus", "<wp:post_id>1</wp:post_id>")
        + _item("Nodate", f"<wp:post_id>2</wp:post_id><wp:status>publish</wp:status>{comment}")
        + _item("Notype", "<wp:post_id>3</wp:post_id><wp:status>publish</wp:status>", ""),
    )
    output = run_import("wxr", path, "--no-train")
    # No wp:post_type: WordPress refuses the item as of no known type.
    assert not Article.objects.filter(title="Notype").exists()
    assert "item 3 has no wp:post_type: skipped" in output
    # No wp:status: a draft. No date on a published post: published now.
    assert Article.objects.get(title="Nostatus").status == Article.Status.DRAFT
    undated = Article.objects.get(title="Nodate")
    assert undated.status == Article.Status.PUBLISHED and undated.published_at is not None
    assert "post 2 has no date: published with the time of the import" in output
    # No wp:comment_approved: WordPress stores it empty and shows it to nobody.
    assert Comment.objects.get().status == Comment.Status.PENDING
    published_at = undated.published_at
    run_import("wxr", path, "--no-train")
    undated.refresh_from_db()
    assert undated.published_at == published_at


def test_an_undated_comment_on_an_undated_draft_keeps_its_date_on_a_rerun(
    db, tmp_path, monkeypatch
):
    comment = (
        "<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_author>A</wp:comment_author>"
        "<wp:comment_content>When?</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved></wp:comment>"
    )
    path = _items_file(
        tmp_path, _item("Draft", f"<wp:post_id>4</wp:post_id><wp:status>draft</wp:status>{comment}")
    )
    run_import("wxr", path, "--no-train")
    first = Comment.objects.get().created_at
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the rerun comes an hour later
    again = run_import("wxr", path, "--no-train")
    assert Comment.objects.get().created_at == first
    assert tally(again, "comments") == [1, 0, 0, 1, 0]


def test_importing_again_keeps_text_a_moderator_edited_here(wxr_site):
    from broadsheet.moderation import actions as moderation_actions

    redacted = comment(103)
    original = redacted.body
    moderation_actions.edit_text(redacted, "Call me on [number removed].", actor=None)
    again = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    kept = comment(103)
    assert kept.body == "Call me on [number removed]." != original
    assert "[number removed]" in kept.body_html and kept.edited_at is not None
    assert tally(again, "comments")[0] == 18
    # Comments nobody edited here still take the file's text.
    other = comment(104)
    Comment.objects.filter(pk=other.pk).update(body="changed behind the import's back")
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert comment(104).body != "changed behind the import's back"


def test_importing_again_keeps_decisions_made_here(wxr_site, django_user_model, tmp_path):
    from broadsheet.moderation import actions as moderation_actions

    moderator = django_user_model.objects.create_user("mo", password="x" * 12, is_staff=True)
    rejected, held, deleted = comment(103), comment(142), comment(104)
    assert (rejected.status, held.status) == ("approved", "pending")
    moderation_actions.reject(rejected, actor=moderator)
    moderation_actions.approve(held, actor=moderator)
    moderation_actions.delete(deleted, actor=moderator)
    article = rejected.article
    count = article.comments.filter(status="approved").count()

    again = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert [comment(103).status, comment(142).status, comment(104).status] == [
        "rejected", "approved", "deleted",
    ]  # fmt: skip
    assert tally(again, "comments") == [18, 0, 0, 18, 0]  # nothing else differs
    article.refresh_from_db()
    assert article.comment_count == count
    # A decision here is newer than the file, also when the file has changed since.
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    path = tmp_path / "changed.xml"
    path.write_text(text.replace("[Fourth level.]", "[Edited on the old site.]"), encoding="utf-8")
    run_import("wxr", path, "--no-train")
    assert comment(103).status == "rejected" and comment(103).body == "Edited on the old site."


def test_a_status_changed_at_the_source_is_taken_on_each_import_again(wxr_site, tmp_path):
    held = comment(142)
    assert held.status == "pending"
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    approved = text.replace(HELD_142, HELD_142.replace("[0]", "[1]"))
    spammed = text.replace(HELD_142, HELD_142.replace("[0]", "[spam]"))
    for status, version in (("approved", approved), ("spam", spammed), ("pending", text)):
        path = tmp_path / f"{status}.xml"
        path.write_text(version, encoding="utf-8")
        run_import("wxr", path, "--no-train")
        assert comment(142).status == status


HELD_142 = (
    "<wp:comment_content><![CDATA[Held for moderation.]]></wp:comment_content>\n"
    "\t\t\t<wp:comment_approved><![CDATA[0]]>"
)


def test_an_imported_post_saved_again_in_the_admin_keeps_its_paragraphs(wxr_site):
    from broadsheet.newsroom import actions as newsroom_actions

    posts = Article.objects.filter(origin__startswith="wxr:").exclude(body="")
    assert posts.filter(body_html__contains="<p>").exists()
    for article in posts:
        shown = article.body_html
        newsroom_actions.save_article(article)
        article.refresh_from_db()
        assert article.body_html == shown, article.title
    # An article written here in HTML is only sanitized, as before.
    own = Article.objects.create(title="Own", slug="own", body="One\n\nTwo", body_format="html")
    newsroom_actions.save_article(own)
    assert own.body_html == "One\n\nTwo"


def test_two_tags_of_one_name_become_one_and_the_summary_says_so(db, tmp_path):
    dated = "<wp:status>publish</wp:status><wp:post_date_gmt>2015-03-01 10:00:00</wp:post_date_gmt>"
    terms = (
        '<category domain="post_tag" nicename="content"><![CDATA[Content]]></category>'
        '<category domain="post_tag" nicename="content-2"><![CDATA[Content]]></category>'
    )
    path = _items_file(tmp_path, _item("One", f"<wp:post_id>3</wp:post_id>{dated}{terms}"))
    output = run_import("wxr", path, "--no-train")
    assert "tag 'content-2' has the name of tag 'content' ('Content')" in output
    assert list(Article.objects.get().tags.values_list("slug", flat=True)) == ["content"]


def test_two_comments_with_one_id_are_both_kept_and_a_repeated_one_stored_once(db, tmp_path):
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    start = text.index("<wp:comment>\n\t\t\t<wp:comment_id>100</wp:comment_id>")
    end = text.index("</wp:comment>", start) + len("</wp:comment>")
    text = text[:end] + text[start:end] + text[end:]  # comment 100, twice alike
    text = text.replace("<wp:comment_id>101</wp:comment_id>", "<wp:comment_id>100</wp:comment_id>")
    path = tmp_path / "twice.xml"
    path.write_text(text, encoding="utf-8")
    output = run_import("wxr", path, "--no-train")
    assert "comment 100 appears twice in post 10, the same both times: stored once" in output
    assert "comment 100 appears twice in post 10, saying different things: the second is " in output
    first = Comment.objects.get(body__startswith="I will reverse myself here.")
    second = Comment.objects.get(body__startswith="אני לא מסכים.")
    assert second.parent == first and second.created_at.isoformat() == "2016-12-06T11:05:00+00:00"
    # 19 in the file: the repeat is not stored.
    assert tally(output, "comments") == [19, 18, 0, 1, 0]
    again = run_import("wxr", path, "--no-train")
    assert tally(again, "comments")[1:3] == [0, 0]


def test_a_file_a_browser_saved_pretty_printed_is_read_as_it_was_written(db, tmp_path):
    # Saved from a browser's view of the XML (a real export was kept so): every CDATA
    # section on a line of its own and padded with spaces, the password's empty one too.
    def padded(text: str) -> str:
        return f"\n<![CDATA[ {text} ]]>\n"

    path = tmp_path / "pretty.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>T</title>\n'
        "<link>https://pretty.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
        "<wp:base_site_url>https://pretty.example</wp:base_site_url>\n"
        "<wp:base_blog_url>https://pretty.example</wp:base_blog_url>\n<item>\n"
        f"<title>{padded('Budget vote')}</title>\n<link>https://pretty.example/budget/</link>\n"
        f"<dc:creator>{padded('dana')}</dc:creator>\n"
        f"<content:encoded>{padded('<p>The council voted.</p>')}</content:encoded>\n"
        f"<wp:post_id>7</wp:post_id>\n<wp:post_date_gmt>{padded('2020-01-01 09:00:00')}"
        f"</wp:post_date_gmt>\n<wp:comment_status>{padded('open')}</wp:comment_status>\n"
        f"<wp:post_name>{padded('budget')}</wp:post_name>\n"
        f"<wp:status>{padded('publish')}</wp:status>\n"
        f"<wp:post_type>{padded('post')}</wp:post_type>\n"
        f"<wp:post_password>{padded('')}</wp:post_password>\n"
        f"<wp:postmeta>\n<wp:meta_key>{padded('_broadsheet_source_name')}</wp:meta_key>\n"
        f"<wp:meta_value>{padded('The Daily Example')}</wp:meta_value>\n</wp:postmeta>\n"
        "<wp:comment>\n<wp:comment_id>3</wp:comment_id>\n"
        f"<wp:comment_author>{padded('Reader')}</wp:comment_author>\n"
        f"<wp:comment_date_gmt>{padded('2020-01-02 10:00:00')}</wp:comment_date_gmt>\n"
        f"<wp:comment_content>{padded('Well reported.')}</wp:comment_content>\n"
        f"<wp:comment_approved>{padded('1')}</wp:comment_approved>\n"
        f"<wp:comment_type>{padded('comment')}</wp:comment_type>\n"
        "<wp:comment_parent>0</wp:comment_parent>\n"
        f"<wp:commentmeta>\n<wp:meta_key>{padded('_broadsheet_status')}</wp:meta_key>\n"
        f"<wp:meta_value>{padded('rejected')}</wp:meta_value>\n</wp:commentmeta>\n"
        "</wp:comment>\n</item>\n</channel>\n</rss>\n",
        encoding="utf-8",
    )
    output = run_import("wxr", path, "--no-train")
    article = Article.objects.get()
    assert (article.title, article.slug, article.status) == ("Budget vote", "budget", "published")
    assert article.source_name == "The Daily Example"
    assert "password-protected" not in output
    comment = Comment.objects.get()
    assert (comment.author_name, comment.status) == ("Reader", "rejected")


def test_a_post_named_by_its_address_gets_the_name_as_its_slug(db, tmp_path):
    """Squarespace's export (and other tools that write WXR for other systems) names a
    post by its page's address, ``basic-post.html`` or ``blog/2023/04/05/my-post``, which
    WordPress never writes (it makes a dot a dash): the slug is the name, without the
    page's extension or the folders before it, where it was ``basic-posthtml`` and
    ``blog20230405my-post``. The old address still answers."""
    from django.test import Client

    from tests.interchange.conftest import WXR_BLOG

    def item(pid: int, name: str, link: str) -> str:
        post = wxr_post(pid, f"Post {pid}", "<p>Text.</p>", slug=name)
        return post.replace(f"{WXR_BLOG}/{name}/", link)

    path = wxr_file(
        tmp_path, "squarespace.xml",
        item(4, "basic-post.html", "/blog/basic-post.html"),
        item(146, "blog2023/04/05/my-dated-post", "/blog2023/04/05/my-dated-post.html"),
        item(147, "blog2024/01/01/my-dated-post", "/blog2024/01/01/my-dated-post.html"),
        item(148, "v1.2-released", "/blog/v1.2-released"),
        item(149, "%d7%a9%d7%9c%d7%95%d7%9d.htm", "/blog/shalom.htm"),
    )  # fmt: skip
    run_import("wxr", path, "--no-train")
    slugs = dict(Article.objects.values_list("origin", "slug"))
    assert [slugs[f"wxr:{WXR_BLOG}#{pid}"] for pid in (4, 146, 147, 148, 149)] == [
        "basic-post", "my-dated-post", "my-dated-post-2", "v1-2-released", "שלום",
    ]  # fmt: skip
    basic = Article.objects.get(slug="basic-post").get_absolute_url()
    assert Client().get("/blog/basic-post.html")["Location"] == basic
