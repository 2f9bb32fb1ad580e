from __future__ import annotations

import pytest

from broadsheet.discussion import actions
from broadsheet.discussion.models import Comment
from broadsheet.discussion.threads import DiscussionPage, load_page, thread_rank
from tests.conftest import post

pytestmark = pytest.mark.django_db


def flatten(nodes, level=0):
    for node in nodes:
        yield level, node
        yield from flatten(node.children, level + 1)


def test_replies_deeper_than_the_display_depth_stay_at_it_and_say_whom_they_answer(article):
    chain = [post(article, "level 0")]
    for depth in range(1, 7):
        chain.append(post(article, f"level {depth}", parent=chain[-1]))
    page = load_page(article, max_depth=3)
    levels = {node.comment.body: (level, node.reply_to) for level, node in flatten(page.nodes)}
    assert levels["level 3"][0] == 3
    assert levels["level 6"][0] == 3
    assert levels["level 6"][1].pk == chain[5].pk
    order = [node.comment.body for _, node in flatten(page.nodes)]
    assert order == [f"level {d}" for d in range(7)]


def test_hidden_parent_with_visible_replies_becomes_a_placeholder(article):
    root = post(article, "root")
    reply = post(article, "reply", parent=root)
    actions.change_status(root, Comment.Status.REJECTED)
    page = load_page(article)
    assert len(page.nodes) == 1
    assert page.nodes[0].shown is False
    assert page.nodes[0].children[0].comment.pk == reply.pk


def test_hidden_comment_without_visible_replies_is_left_out(article):
    root = post(article, "root")
    post(article, "kept")
    actions.change_status(root, Comment.Status.SPAM)
    page = load_page(article)
    assert [n.comment.body for n in page.nodes] == ["kept"]
    assert page.thread_count == 1


def test_own_pending_comment_appears_only_for_its_owner(article, site):
    site.comment_policy = "hold"
    site.save()
    mine = post(article, "mine")
    assert load_page(article).nodes == []
    page = load_page(article, own_ids=[mine.pk])
    assert page.nodes[0].comment.pk == mine.pk and page.nodes[0].pending


def test_page_number_out_of_range_is_clamped(article):
    post(article, "only")
    page = load_page(article, page=99, per_page=10)
    assert page.number == 1 and page.nodes[0].comment.body == "only"


def test_only_web_addresses_become_author_links(article):
    from broadsheet.discussion.rendering import render_discussion

    post(article, "safe", author_name="Web", author_url="https://web.example")
    bad = post(article, "unsafe", author_name="Script")
    Comment.objects.filter(pk=bad.pk).update(author_url="javascript:alert(1)")
    html = render_discussion(load_page(article).nodes, accepts_comments=True)
    assert 'href="https://web.example"' in html
    assert "javascript:" not in html
    assert "<bdi>Script</bdi>" in html


def test_a_comment_whose_thread_was_deleted_has_a_page(client, article, site):
    site.comments_per_page = 1
    site.save()
    post(article, "first thread")
    post(article, "second thread")
    root = post(article, "root")
    reply = post(article, "reply", parent=root)
    # Deleted outside the actions (a shell, an old admin): the reply keeps no thread.
    Comment.objects.filter(pk=root.pk).delete()
    reply.refresh_from_db()
    assert reply.thread_id is None
    assert thread_rank(article, reply) == 2
    response = client.get(f"/c/{reply.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?page=3#comment-{reply.pk}"


def test_thread_rank_counts_the_threads_before_in_either_order(article):
    roots = [post(article, f"root {i}") for i in range(4)]
    reply = post(article, "reply", parent=roots[1])
    assert thread_rank(article, reply) == 1
    assert thread_rank(article, reply, order="newest") == 2
    assert thread_rank(article, roots[3], order="newest") == 0


@pytest.mark.parametrize(
    ("number", "total", "shown"),
    [
        (1, 1, [1]),
        (3, 4, [1, 2, 3, 4]),
        (1, 10, [1, 2, 3, None, 10]),
        (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
        (10, 10, [1, None, 8, 9, 10]),
    ],
)
def test_the_pager_names_the_first_last_and_nearby_pages(number, total, shown):
    page = DiscussionPage(nodes=[], number=number, num_pages=total, thread_count=total,
                          order="oldest", start=1)  # fmt: skip
    assert page.page_numbers == shown
