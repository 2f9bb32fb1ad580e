"""Importing a Disqus export onto imported (or created) articles."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.interchange.conftest import SAMPLES, run_import, tally


def post(dsq_id: int) -> Comment:
    return Comment.objects.get(origin=f"disqus:gazette#{dsq_id}")


def test_threads_attach_to_the_articles_imported_from_wordpress(wxr_site):
    output = run_import("disqus", SAMPLES / "disqus.xml", "--no-train")
    article = Article.objects.get(origin="wxr:https://gazette.example.com#10")
    assert post(9002).article == article
    assert "thread 5002 ('https://gazette.example.com/2018/05/05/lost-page/') matches no" in output
    assert not Comment.objects.filter(origin="disqus:gazette#9100").exists()
    # Post 9001 is WordPress's comment 100, which Disqus's plugin copied ("wp_id=100"):
    # it is there already, and its replies hang under it.
    assert not Comment.objects.filter(origin="disqus:gazette#9001").exists()
    assert post(9002).parent == wordpress_comment(100)
    assert "so not stored twice: 1." in output
    assert tally(output, "comments") == [8, 6, 0, 2, 0]


def wordpress_comment(cid: int) -> Comment:
    return Comment.objects.get(origin=f"wxr:https://gazette.example.com#c{cid}")


def test_flags_authors_and_html(db):
    run_import("disqus", SAMPLES / "disqus.xml", "--no-train", "--create-missing")
    assert post(9001).status == "approved"
    assert post(9003).status == "deleted"
    assert post(9004).status == "spam"
    assert post(9006).status == "pending"  # isApproved false
    first = post(9001)
    assert (first.author_name, first.author_email) == ("Jane Doe", "jane@example.org")
    assert first.body == "<p>First! שלום 🎉 مرحبا</p>"
    assert first.body_html == "<p>First! שלום 🎉 مرحبا</p>"
    assert post(9004).body == "<p>Cheap pills, ]]> click here</p>"
    assert "<strong>bold</strong>" in post(9002).body_html


def test_a_long_author_name_keeps_every_character(db, tmp_path):
    # Up to 255 characters, as a WordPress import keeps them: the same commenter, copied
    # between the two systems, keeps one name.
    name = "Éditions du Café » " + "chroniques, liens et références — " * 6
    assert 200 < len(name.strip()) <= 255
    text = (SAMPLES / "disqus.xml").read_text()
    path = tmp_path / "long.xml"
    path.write_text(text.replace("<name>Jane Doe</name>", f"<name>{name}</name>"), "utf-8")
    run_import("disqus", path, "--no-train", "--create-missing")
    assert post(9001).author_name == name.strip()


def test_replies_before_their_parents_and_orphans(wxr_site):
    output = run_import("disqus", SAMPLES / "disqus.xml", "--no-train")
    reply, parent = post(9005), post(9006)
    assert reply.parent_id == parent.pk
    assert (reply.depth, reply.thread_id, reply.thread_key) == (1, parent.pk, parent.created_at)
    assert post(9002).parent_id == wordpress_comment(100).pk
    orphan = post(9007)
    assert orphan.parent_id is None and orphan.depth == 0
    assert "post 9007 replies to post 8999, which is not in the file" in output
    article = post(9002).article
    assert article.comment_count == article.comments.filter(status="approved").count()


def test_create_missing_makes_an_article_and_a_second_run_adds_nothing(wxr_site):
    run_import("disqus", SAMPLES / "disqus.xml", "--no-train", "--create-missing")
    made = Article.objects.get(origin="disqus:gazette#thread-5002")
    assert made.title == "A page that is gone" and not made.comments_open
    assert post(9100).article == made
    count = Comment.objects.count()
    again = run_import("disqus", SAMPLES / "disqus.xml", "--no-train", "--create-missing")
    assert Comment.objects.count() == count
    assert tally(again, "comments") == [8, 0, 0, 8, 0]


def test_a_second_run_keeps_what_moderators_and_reports_decided_here(db, django_user_model):
    from broadsheet.moderation import actions as moderation_actions

    run_import("disqus", SAMPLES / "disqus.xml", "--no-train", "--create-missing")
    moderator = django_user_model.objects.create_user("mo", password="x" * 12, is_staff=True)
    moderation_actions.mark_spam(post(9001), actor=moderator)
    moderation_actions.restore(post(9003), actor=moderator)  # deleted on Disqus
    again = run_import("disqus", SAMPLES / "disqus.xml", "--no-train", "--create-missing")
    assert (post(9001).status, post(9003).status) == ("spam", "approved")
    assert tally(again, "comments") == [8, 0, 0, 8, 0]
    article = post(9001).article
    assert article.comment_count == article.comments.filter(status="approved").count()


def test_disqus_alone_matches_nothing_without_articles(db):
    output = run_import("disqus", SAMPLES / "disqus.xml", "--no-train")
    assert not Comment.objects.exists()
    assert tally(output, "threads") == [2, 0, 0, 2, 0]


BLOG_A = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Blog A</title><link>http://blog-a.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>http://blog-a.example</wp:base_site_url>
<wp:base_blog_url>http://blog-a.example</wp:base_blog_url>
<item><title>Alpha</title><link>http://blog-a.example/alpha/</link>
<content:encoded><![CDATA[A's post.]]></content:encoded><wp:post_id>198</wp:post_id>
<wp:post_date_gmt>2012-01-01 10:00:00</wp:post_date_gmt><wp:post_name>alpha</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


def disqus_file(thread_id: str, link: str, title: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<category dsq:id="1"><forum>blog</forum><title>General</title><isDefault>true</isDefault></category>
<thread dsq:id="70"><id>{thread_id}</id><forum>blog</forum><category dsq:id="1" />
<link>{link}</link><title>{title}</title><createdAt>2010-11-01T16:48:13Z</createdAt>
<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>
<post dsq:id="900"><id /><message><![CDATA[<p>Hello from the thread</p>]]></message>
<createdAt>2010-11-02T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
<author><name>Reader</name><isAnonymous>true</isAnonymous></author><thread dsq:id="70" /></post>
</disqus>
"""


def test_a_thread_of_another_blog_is_not_put_under_an_article_with_the_same_path(db, tmp_path):
    blog_a = tmp_path / "a.xml"
    blog_a.write_text(BLOG_A, encoding="utf-8")
    run_import("wxr", blog_a, "--no-train")
    alpha = Article.objects.get(slug="alpha")
    # Blog B's post 198 has the same "/?p=198" and slug as blog A's: another blog.
    other = tmp_path / "b.xml"
    other.write_text(
        disqus_file("198 http://blog-b.example/?p=198", "http://blog-b.example/alpha/", "B"),
        encoding="utf-8",
    )
    output = run_import("disqus", other, "--no-train")
    assert "imported from another blog: not matched to it" in output
    assert not Comment.objects.exists()
    run_import("disqus", other, "--no-train", "--create-missing")
    (comment,) = Comment.objects.all()
    assert comment.article != alpha and comment.article.title == "B"
    # Blog A's old address still leads to blog A's post.
    assert alpha.redirects.filter(old_path="/?p=198").exists()
    # The same blog's thread (on https, with www.) is matched to it.
    Comment.objects.all().delete()
    same = tmp_path / "same.xml"
    same.write_text(
        disqus_file(
            "198 https://www.blog-a.example/?p=198", "https://www.blog-a.example/alpha/", "A"
        ),
        encoding="utf-8",
    )
    run_import("disqus", same, "--no-train")
    assert Comment.objects.get().article == alpha


def test_a_title_disqus_escaped_twice_is_decoded(db, tmp_path):
    path = tmp_path / "t.xml"
    title = "Cat &amp;amp;#8220;cheat&amp;amp;#8221; &amp;amp; more"
    path.write_text(disqus_file("", "http://x.example/cat/", title), encoding="utf-8")
    run_import("disqus", path, "--no-train", "--create-missing")
    assert Article.objects.get().title == "Cat \u201ccheat\u201d & more"


def _post(dsq_id: int, thread: int, parent: int | None = None) -> str:
    reply = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (
        f'<post dsq:id="{dsq_id}"><message><![CDATA[<p>post {dsq_id}</p>]]></message>'
        "<createdAt>2015-01-02T00:00:00Z</createdAt><isDeleted>false</isDeleted>"
        "<isSpam>false</isSpam><author><name>A</name><isAnonymous>true</isAnonymous></author>"
        f'<thread dsq:id="{thread}"/>{reply}</post>'
    )


@pytest.mark.parametrize("parent_first", [True, False])
def test_a_reply_to_a_post_of_another_thread_becomes_top_level(db, tmp_path, parent_first):
    threads = "".join(
        f'<thread dsq:id="{n}"><id>t{n}</id><forum>f</forum><link>http://x.example/{n}/</link>'
        f"<title>T{n}</title><createdAt>2015-01-01T00:00:00Z</createdAt>"
        "<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>"
        for n in (1, 2)
    )
    posts = [_post(10, 1), _post(11, 2, parent=10), _post(12, 1, parent=10)]
    if not parent_first:
        posts.reverse()
    path = tmp_path / "cross.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" '
        f'xmlns:dsq="http://disqus.com/disqus-internals">{threads}{"".join(posts)}</disqus>',
        encoding="utf-8",
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    assert "post 11 replies to post 10, which is in another thread" in output
    by_id = {c.origin.rsplit("#", 1)[1]: c for c in Comment.objects.all()}
    assert by_id["11"].parent_id is None and by_id["11"].article.title == "T2"
    assert by_id["12"].parent_id == by_id["10"].pk  # the same thread: a reply


def _thread(n: int, link: str, *, forum: str = "f", deleted: bool = False, title: str = "") -> str:
    return (
        f'<thread dsq:id="{n}"><id>t{n}</id><forum>{forum}</forum><link>{link}</link>'
        f"<title>{title or f'T{n}'}</title><createdAt>2015-01-01T00:00:00Z</createdAt>"
        f"<isClosed>false</isClosed><isDeleted>{str(deleted).lower()}</isDeleted></thread>"
    )


def _disqus(path, *parts: str):
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" '
        f'xmlns:dsq="http://disqus.com/disqus-internals">{"".join(parts)}</disqus>',
        encoding="utf-8",
    )
    return path


def test_create_missing_makes_no_article_for_a_thread_without_comments_or_deleted(db, tmp_path):
    path = _disqus(
        tmp_path / "d.xml",
        _thread(1, "http://x.example/kept/"),
        _thread(2, "http://localhost:4000/preview/"),  # the script loaded, nobody commented
        _thread(3, "http://x.example/gone/", deleted=True),
        _post(10, 1),
        _post(11, 3),
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    assert list(Article.objects.values_list("title", flat=True)) == ["T1"]
    assert "Threads without comments (Disqus keeps one for every page its script was " in output
    assert "loaded on), for which nothing was made: 1." in output
    assert (
        "thread 3 ('http://x.example/gone/') was deleted in Disqus: no article was made for it "
        "and its 1 comment was skipped" in output
    )
    assert tally(output, "threads") == [3, 1, 0, 2, 0]
    assert [c.origin for c in Comment.objects.all()] == ["disqus:f#10"]


@pytest.mark.parametrize("create_missing", [(), ("--create-missing",)])
def test_threads_without_comments_are_counted_and_leave_room_for_the_notes(
    db, tmp_path, create_missing
):
    # A real export: a thread for every page the script ran on, most without comments,
    # before the threads whose notes an operator needs (here: one matching no article,
    # or deleted).
    empty = [_thread(n, f"http://x.example/page-{n}/") for n in range(1, 251)]
    path = _disqus(
        tmp_path / "d.xml",
        *empty,
        _thread(300, "http://x.example/gone/", deleted=True),
        _post(10, 300),
    )
    output = run_import("disqus", path, "--no-train", *create_missing)
    assert "for which nothing was made: 250." in output
    assert "page-1/" not in output and "more notes" not in output
    if create_missing:
        assert "thread 300 ('http://x.example/gone/') was deleted in Disqus: no article was " in (
            output
        )
    else:
        assert "thread 300 ('http://x.example/gone/') matches no article: its comments were " in (
            output
        )
    assert tally(output, "threads") == [251, 0, 0, 251, 0]


def test_a_deleted_threads_comments_on_an_existing_article_are_kept_deleted(db, tmp_path):
    _disqus_alpha = _disqus(tmp_path / "a.xml", _thread(1, "http://x.example/alpha/"), _post(10, 1))
    run_import("disqus", _disqus_alpha, "--no-train", "--create-missing")
    path = _disqus(
        tmp_path / "b.xml", _thread(1, "http://x.example/alpha/", deleted=True), _post(11, 1)
    )
    output = run_import("disqus", path, "--no-train")
    assert "was deleted in Disqus: its comments were imported as deleted" in output
    assert Comment.objects.get(origin="disqus:f#11").status == "deleted"
    assert Comment.objects.get(origin="disqus:f#10").status == "approved"


def test_an_article_made_for_one_forum_takes_no_thread_of_another(db, tmp_path):
    first = _disqus(
        tmp_path / "a.xml", _thread(1, "http://a.example/?p=12", forum="a"), _post(10, 1)
    )
    run_import("disqus", first, "--no-train", "--create-missing")
    other = _disqus(
        tmp_path / "b.xml", _thread(1, "http://b.example/?p=12", forum="b"), _post(20, 1)
    )
    output = run_import("disqus", other, "--no-train", "--create-missing")
    assert "not matched to it" in output
    assert Article.objects.count() == 2
    a, b = (Comment.objects.get(origin=o).article for o in ("disqus:a#10", "disqus:b#20"))
    assert a != b


def test_a_wordpress_comment_copied_from_disqus_is_not_stored_twice(db, tmp_path):
    """Disqus's WordPress plugin writes the Disqus post's id into the comment's meta."""
    blog = tmp_path / "blog.xml"
    blog.write_text(
        BLOG_A.replace(
            "<wp:post_type>post</wp:post_type>",
            "<wp:post_type>post</wp:post_type><wp:comment><wp:comment_id>5</wp:comment_id>"
            "<wp:comment_author>A</wp:comment_author><wp:comment_content>post 10"
            "</wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
            "<wp:comment_date_gmt>2015-01-02 00:00:00</wp:comment_date_gmt>"
            "<wp:commentmeta><wp:meta_key>dsq_post_id</wp:meta_key>"
            "<wp:meta_value>10</wp:meta_value></wp:commentmeta></wp:comment>",
        ),
        encoding="utf-8",
    )
    run_import("wxr", blog, "--no-train")
    copied = Comment.objects.get()
    assert copied.alias == "disqus-post:10"
    path = _disqus(
        tmp_path / "d.xml",
        _thread(1, "http://blog-a.example/alpha/"),
        _post(10, 1),
        _post(11, 1, parent=10),
    )
    output = run_import("disqus", path, "--no-train")
    assert "so not stored twice: 1." in output
    reply = Comment.objects.get(origin="disqus:f#11")
    assert Comment.objects.count() == 2 and reply.parent == copied


def test_a_query_that_names_the_page_keeps_two_pages_apart(db, tmp_path):
    path = _disqus(
        tmp_path / "q.xml",
        _thread(1, "http://x.example/view.php?id=5"),
        _thread(2, "http://x.example/view.php?id=6"),
        # The same page as thread 1, reached from a newsletter.
        _thread(3, "http://x.example/view.php?utm_source=news&amp;id=5&amp;fbclid=abc"),
        _post(10, 1),
        _post(11, 2),
        _post(12, 3),
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    five, six = (Comment.objects.get(origin=f"disqus:f#{n}").article for n in (10, 11))
    assert five != six and Article.objects.count() == 2
    assert Comment.objects.get(origin="disqus:f#12").article == five
    assert (
        f"thread 3 ('http://x.example/view.php?utm_source=news&id=5&fbclid=abc') is put on "
        f"article {five.pk}, as thread 1 ('http://x.example/view.php?id=5') is: the comments of "
        "both are on one page" in output
    )
    assert "another thread of the file is on too (each is noted below): 1." in output
    assert tally(output, "threads") == [3, 2, 1, 0, 0]
    # A second run finds each thread's article by its address.
    again = run_import("disqus", path, "--no-train", "--create-missing")
    assert Article.objects.count() == 2 and tally(again, "comments") == [3, 0, 0, 3, 0]


def test_the_slug_fallback_takes_no_article_a_disqus_import_made(db, tmp_path):
    blog = tmp_path / "blog.xml"
    blog.write_text(BLOG_A, encoding="utf-8")
    run_import("wxr", blog, "--no-train")
    alpha = Article.objects.get(slug="alpha")
    path = _disqus(
        tmp_path / "s.xml",
        # Made an article whose slug, from its title, is "archive".
        _thread(1, "http://blog-a.example/2012/05/some-post/", title="Archive"),
        _thread(2, "http://blog-a.example/archive/"),
        # WordPress's post, moved, and the same post's AMP view: both are alpha.
        _thread(3, "http://blog-a.example/old/alpha/"),
        _thread(4, "http://blog-a.example/alpha/?amp=1"),
        *(_post(10 + n, n) for n in (1, 2, 3, 4)),
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    by_thread = {n: Comment.objects.get(origin=f"disqus:f#{10 + n}").article for n in (1, 2, 3, 4)}
    assert by_thread[1].slug == "archive" and by_thread[2].title == "T2"
    assert by_thread[3] == by_thread[4] == alpha
    assert f"thread 4 ('http://blog-a.example/alpha/?amp=1') is put on article {alpha.pk}" in output
    assert tally(output, "threads") == [4, 2, 2, 0, 0]


def test_the_documented_example_and_plain_notes_for_what_is_malformed(db, tmp_path):
    """Disqus's export documentation names threads by the text of their <id>
    (``<thread>1</thread>``) where real exports write a dsq:id attribute."""

    def post(attrs: str, body: str, created: str = "2012-12-12T12:12:12") -> str:
        when = f"<createdAt>{created}</createdAt>" if created else ""
        return (
            f"<post {attrs}><message>m</message>{when}<author><name>B</name></author>{body}</post>"
        )

    path = _disqus(
        tmp_path / "doc.xml",
        post('dsq:id="1"', "<id>2</id><isSpam>true</isSpam><thread>1</thread>"),
        post('dsq:id="2"', '<id>1</id><parent dsq:id="1">2</parent><thread>1</thread>'),
        '<thread dsq:id="2"><id>1</id><forum>dev</forum><link/><title/>'
        "<createdAt>2012-12-12T12:12:12</createdAt></thread>",
        "<thread><id>8</id><forum>dev</forum><link>http://x.example/8/</link></thread>",
        post("", '<id>3</id><thread dsq:id="2"/>'),
        post('dsq:id="4"', "<thread>9</thread>"),
        post('dsq:id="5"', "<parent>7</parent><thread>1</thread>"),
        post('dsq:id="6"', "<thread>1</thread>", created="yesterday"),
        post('dsq:id="7"', "<thread>1</thread>", created=""),
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    spam, reply, top = (Comment.objects.get(origin=f"disqus:dev#{n}") for n in (1, 2, 5))
    assert spam.status == "spam" and reply.parent == spam and top.parent is None
    assert spam.article.title == "Thread 2"
    for note in (
        "a thread ('http://x.example/8/') has no dsq:id attribute, which is how posts name "
        "their thread: skipped",
        "a post without a dsq:id attribute was imported, keyed h",
        "post 4 names its thread by the text '9' instead of a dsq:id attribute, and no thread "
        "has that <id>: skipped",
        "post 5 names the post it replies to by the text '7' instead of a dsq:id attribute: "
        "imported as a top-level comment",
        "post 6 has a createdAt that is not a date and time ('yesterday'): imported with the "
        "date of its thread's createdAt, 2012-12-12 12:12:12",
        "post 7 has no createdAt (when it was written): imported with the date of its "
        "thread's createdAt, 2012-12-12 12:12:12",
    ):
        assert note in output
    assert tally(output, "threads") == [2, 1, 0, 0, 1]
    assert tally(output, "comments") == [7, 6, 0, 1, 0]
    # A second run finds each of them again, the one without a dsq:id too.
    again = run_import("disqus", path, "--no-train", "--create-missing")
    assert tally(again, "comments") == [7, 0, 0, 7, 0]


def _copy(dsq_id: int, thread: int, wp_id: int, parent: int | None = None) -> str:
    """A post Disqus's WordPress plugin copied from WordPress comment ``wp_id``."""
    return _post(dsq_id, thread, parent).replace(
        f'<post dsq:id="{dsq_id}">', f'<post dsq:id="{dsq_id}"><id>wp_id={wp_id}</id>'
    )


def test_threads_holding_copies_of_the_same_wordpress_comments_are_one_page(db, tmp_path):
    path = _disqus(
        tmp_path / "twice.xml",
        _thread(1, "http://x.example/blog/post.html"),
        _thread(2, "http://x.example/post/"),
        _copy(10, 1, wp_id=7),
        _copy(11, 1, wp_id=8, parent=10),
        _copy(20, 2, wp_id=7),  # the same two comments again, in the other thread
        _copy(21, 2, wp_id=8, parent=20),
        _post(22, 2, parent=20),  # a new reply, to the second copy
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    (article,) = Article.objects.all()
    by_origin = {c.origin.rsplit("#", 1)[1]: c for c in Comment.objects.all()}
    assert sorted(by_origin) == ["10", "11", "22"]  # each comment once
    assert by_origin["11"].parent == by_origin["10"] == by_origin["22"].parent
    assert "holds copies of the WordPress comments of" in output
    assert article.comment_count == 3
    # A rerun finds them all.
    run_import("disqus", path, "--no-train", "--create-missing")
    assert Comment.objects.count() == 3 and Article.objects.count() == 1


def test_each_forum_of_a_file_holding_several_keeps_its_own_keys(db, tmp_path):
    # Two sites' exports joined into one file: each post is known by its own forum, so
    # that a later import of either forum's own export finds it and copies nothing.
    joined = _disqus(
        tmp_path / "joined.xml",
        _thread(1, "http://one.example/a/", forum="one"),
        _thread(2, "http://two.example/a/", forum="two"),
        _post(11, 1),
        _post(21, 2),
        _post(22, 2, parent=21),
    )
    run_import("disqus", joined, "--no-train", "--create-missing")
    assert set(Comment.objects.values_list("origin", flat=True)) == {
        "disqus:one#11", "disqus:two#21", "disqus:two#22"
    }  # fmt: skip
    assert set(Article.objects.values_list("origin", flat=True)) == {
        "disqus:one#thread-1", "disqus:two#thread-2"
    }  # fmt: skip
    reply = Comment.objects.get(origin="disqus:two#22")
    assert reply.parent.origin == "disqus:two#21"
    alone = _disqus(
        tmp_path / "two.xml", _thread(2, "http://two.example/a/", forum="two"), _post(21, 2)
    )
    output = run_import("disqus", alone, "--no-train", "--create-missing")
    assert tally(output, "comments") == [1, 0, 0, 1, 0]
    assert tally(output, "threads")[1] == 0
    assert Comment.objects.count() == 3 and Article.objects.count() == 2


def _in_f(dsq_id: int) -> Comment:
    return Comment.objects.get(origin=f"disqus:f#{dsq_id}")


def _undated(dsq_id: int, thread: int, parent: int | None = None, created: str = "") -> str:
    reply = f'<parent dsq:id="{parent}"/>' if parent else ""
    when = f"<createdAt>{created}</createdAt>" if created else ""
    return (
        f'<post dsq:id="{dsq_id}"><message>post {dsq_id}</message>{when}'
        f'<author><name>A</name></author><thread dsq:id="{thread}"/>{reply}</post>'
    )


def test_a_post_without_a_date_is_kept_never_before_the_post_it_replies_to(db, tmp_path):
    path = _disqus(
        tmp_path / "undated.xml",
        _thread(1, "http://x.example/1/"),  # created 2015-01-01T00:00:00Z
        _undated(11, 1, parent=10),  # before its parent in the file
        _undated(10, 1, created="2015-01-03T00:00:00Z"),
        _undated(12, 1, created="yesterday"),
        _undated(13, 1, parent=11, created="2015-01-04T00:00:00Z"),
        _undated(14, 1, parent=12),
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    assert tally(output, "comments") == [5, 5, 0, 0, 0]
    assert "Posts without a readable createdAt, dated from their thread, the post they " in output
    assert "reply to or their replies (each is noted below): 3." in output
    assert (
        "post 11 has no createdAt (when it was written): imported with the date of the post "
        "it replies to, 2015-01-03 00:00:00"
    ) in output
    dates = {n: _in_f(n).created_at.isoformat() for n in (10, 11, 12, 13, 14)}
    assert dates == {
        10: "2015-01-03T00:00:00+00:00",
        11: "2015-01-03T00:00:00+00:00",  # its parent's, not the thread's earlier one
        12: "2015-01-01T00:00:00+00:00",  # its thread's
        13: "2015-01-04T00:00:00+00:00",
        14: "2015-01-01T00:00:00+00:00",
    }
    assert _in_f(11).parent == _in_f(10) and _in_f(13).parent == _in_f(11)
    assert _in_f(14).parent == _in_f(12)
    article = _in_f(10).article
    assert article.comment_count == 5
    read = [
        c.origin.rsplit("#", 1)[1]
        for c in Comment.objects.filter(article=article).in_thread_order()
    ]
    assert read == ["12", "14", "10", "11", "13"]
    assert [_in_f(n).depth for n in (10, 11, 13)] == [0, 1, 2]
    # A second run dates them alike: nothing changes.
    again = run_import("disqus", path, "--no-train", "--create-missing")
    assert tally(again, "comments") == [5, 0, 0, 5, 0]


def test_a_post_without_a_date_in_a_thread_without_one_is_dated_by_its_reply(db, tmp_path):
    path = _disqus(
        tmp_path / "undated.xml",
        _thread(2, "http://x.example/2/").replace(
            "<createdAt>2015-01-01T00:00:00Z</createdAt>", ""
        ),
        _undated(20, 2),
        _undated(21, 2, parent=20, created="2016-05-05T10:00:00Z"),
        _undated(22, 2),
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    assert tally(output, "comments") == [3, 3, 0, 0, 0]
    assert _in_f(20).created_at.isoformat() == "2016-05-05T09:59:59+00:00"
    assert _in_f(21).parent == _in_f(20)
    assert _in_f(22).created_at == _in_f(22).article.published_at
    assert (
        "post 22 has no createdAt (when it was written): imported with the date of its " in output
    )
