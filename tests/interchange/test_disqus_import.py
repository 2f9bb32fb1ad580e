"""Importing a Disqus export onto imported (or created) articles."""

from __future__ import annotations

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.interchange.conftest import SAMPLES, run_import, tally


def post(dsq_id: int) -> Comment:
    return Comment.objects.get(origin=f"disqus:gazette#{dsq_id}")


def test_threads_attach_to_the_articles_imported_from_wordpress(wxr_site):
    output = run_import("disqus", SAMPLES / "disqus.xml", "--no-train")
    article = Article.objects.get(origin="wxr:https://gazette.example.com#10")
    assert post(9001).article == article
    assert "thread 5002 ('https://gazette.example.com/2018/05/05/lost-page/') matches no" in output
    assert not Comment.objects.filter(origin="disqus:gazette#9100").exists()
    assert tally(output, "comments") == [8, 7, 0, 1, 0]


def test_flags_authors_and_html(wxr_site):
    run_import("disqus", SAMPLES / "disqus.xml", "--no-train")
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


def test_replies_before_their_parents_and_orphans(wxr_site):
    output = run_import("disqus", SAMPLES / "disqus.xml", "--no-train")
    reply, parent = post(9005), post(9006)
    assert reply.parent_id == parent.pk
    assert (reply.depth, reply.thread_id, reply.thread_key) == (1, parent.pk, parent.created_at)
    assert post(9002).parent_id == post(9001).pk
    orphan = post(9007)
    assert orphan.parent_id is None and orphan.depth == 0
    assert "post 9007 replies to post 8999, which is not in the file" in output
    article = post(9001).article
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


def test_disqus_alone_matches_nothing_without_articles(db):
    output = run_import("disqus", SAMPLES / "disqus.xml", "--no-train")
    assert not Comment.objects.exists()
    assert tally(output, "threads") == [2, 0, 0, 2, 0]
