from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.discussion.actions import change_status
from broadsheet.discussion.forms import _FORM_SALT, form_stamp
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.actions import save_site_settings
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def form_data(**overrides):
    """What the article page's form sends, with the signed time it is served with."""
    data = {
        "author_name": "Jane Doe", "author_email": "", "author_url": "", "body": "Hi",
        "stamp": form_stamp(),
    }  # fmt: skip
    data.update(overrides)
    return data


def submit(client: Client, article: Article, **overrides):
    return client.post(f"/article/{article.slug}/comments", form_data(**overrides), **ORIGIN)


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_article_page_shows_dateline_count_and_comments(client, article):
    root = post(article, "First!", author_name="Jane Doe", author_url="https://jane.example")
    post(article, "Reply", parent=root, author_name="Bob")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Hello world" in html
    assert '<a href="#comments-heading">2 Comments »</a>' in html
    assert "Leave a Reply" in html
    assert re.search(r'class="number">1\.</span>', html)
    assert 'href="https://jane.example" rel="nofollow ugc external">Jane Doe</a>' in html
    assert "Originally published by" in html and "The Daily Example" in html
    assert f'href="/c/{root.pk}"' in html


def test_article_page_costs_the_same_queries_whatever_the_discussion_size(client, article):
    post(article, "one")
    small = queries_for(client, article.get_absolute_url())
    roots = [post(article, f"root {i}") for i in range(60)]
    for i, root in enumerate(roots[:20]):
        child = post(article, f"reply {i}", parent=root)
        post(article, f"deeper {i}", parent=child)
    big = queries_for(client, article.get_absolute_url())
    assert big == small
    # A fixed handful, the editors' picks' one among them: none grows with the discussion.
    assert big <= 9


def test_discussion_is_paginated_by_top_level_comment(client, article, site):
    site.comments_per_page = 2
    site.save()
    roots = [post(article, f"root {i}") for i in range(5)]
    post(article, "reply to root 0", parent=roots[0])
    page1 = client.get(article.get_absolute_url()).content.decode()
    page3 = client.get(article.get_absolute_url() + "?page=3").content.decode()
    assert "root 0" in page1 and "reply to root 0" in page1 and "root 2" not in page1
    assert "root 4" in page3 and 'class="number">5.</span>' in page3
    assert "Comment page 3 of 3" in page3


def test_newest_first_reverses_threads_and_keeps_numbers(client, article):
    for i in range(3):
        post(article, f"root {i}")
    html = client.get(article.get_absolute_url() + "?order=newest").content.decode()
    assert html.index("root 2") < html.index("root 0")
    assert "reversed" in html and 'class="number">3.</span>' in html


def test_the_pager_links_to_pages_by_number(client, article, site):
    # It offered only the next and previous pages: the last of a long discussion was
    # as many clicks away as it has pages.
    site.comments_per_page = 1
    site.save()
    for i in range(12):
        post(article, f"root {i}")
    html = client.get(article.get_absolute_url() + "?page=6&order=newest").content.decode()
    pager = re.search(r'<span class="page-numbers">(.*?)</span>\n', html).group(1)
    linked = re.findall(
        r'href="/article/hello-world/\?page=(\d+)&amp;order=newest#comments-heading"', pager
    )
    assert linked == ["1", "4", "5", "7", "8", "12"]
    assert pager.count("…") == 2
    assert re.search(
        r'<span aria-current="page"><span class="visually-hidden">Comment page </span>6<', pager
    )


def test_permalink_redirects_to_the_page_and_anchor(client, article, site):
    site.comments_per_page = 2
    site.save()
    roots = [post(article, f"root {i}") for i in range(5)]
    reply = post(article, "deep", parent=roots[3])
    response = client.get(f"/c/{reply.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?page=2#comment-{reply.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'id="comment-{reply.pk}"' in page


def test_permalink_of_hidden_comment_is_404(client, article):
    comment = post(article, "spammy", honeypot="x")
    assert client.get(f"/c/{comment.pk}").status_code == 404


def test_the_page_script_learns_where_a_comment_of_this_article_is(client, article, site):
    """``/c/N?on=<article>``: comment N of that article, or the one Disqus knew as N."""
    site.comments_per_page = 2
    site.save()
    roots = [post(article, f"root {i}") for i in range(5)]
    page_two = f"{article.get_absolute_url()}?page=2"
    assert client.get(f"/c/{roots[3].pk}?on={article.pk}").json() == {
        "url": f"{page_two}#comment-{roots[3].pk}"
    }
    Comment.objects.filter(pk=roots[2].pk).update(origin="disqus:forum#3000000007")
    Comment.objects.filter(pk=roots[4].pk).update(alias="disqus-post:3000000008")
    assert client.get(f"/c/3000000007?on={article.pk}").json() == {
        "url": f"{page_two}#comment-{roots[2].pk}"
    }
    last = client.get(f"/c/3000000008?on={article.pk}").json()["url"]
    assert last.endswith(f"?page=3#comment-{roots[4].pk}")
    # Another article's comment, a hidden one, or a bad article: nothing is said.
    other = make_article(title="Other", slug="other")
    post(other, "elsewhere")
    assert client.get(f"/c/{roots[3].pk}?on={other.pk}").status_code == 404
    Comment.objects.filter(pk=roots[2].pk).update(status=Comment.Status.SPAM)
    assert client.get(f"/c/3000000007?on={article.pk}").status_code == 404
    assert client.get(f"/c/{roots[3].pk}?on=x").status_code == 404


@pytest.mark.parametrize("on", ["9" * 19, "9" * 40, "٣", "-1", "1.0", " 1", ""])
def test_an_article_id_too_long_for_the_database_or_not_digits_is_404(client, article, on):
    """Found by fuzzing with published word lists: SQLite cannot be asked about an
    id past 64 bits, and a page that asked answered 500."""
    comment = post(article, "Here.")
    assert client.get(f"/c/{comment.pk}", {"on": on}).status_code == (302 if on == "" else 404)


def test_posting_redirects_to_the_new_comment(client, article):
    response = submit(client, article, body="Hello from the form")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.body == "Hello from the form"
    assert comment.status == Comment.Status.APPROVED


def test_form_errors_are_shown_next_to_fields_with_text_kept(client, article):
    response = submit(client, article, author_name="", body="My kept words", author_email="nope")
    html = response.content.decode()
    assert response.status_code == 400
    assert "My kept words" in html
    assert 'id="id_author_name_errors"' in html and "This field is required." in html
    assert "Enter a valid email address." in html
    assert Comment.objects.count() == 0
    assert 'name="remember">' in html  # not ticked: the reader did not tick it
    ticked = submit(client, article, author_name="", remember="on").content.decode()
    assert 'name="remember" checked>' in ticked  # the reader's choice is kept


def test_too_long_comment_is_refused_with_the_limit_shown(client, article, settings):
    settings.BROADSHEET_COMMENT_MAX_LENGTH = 20
    response = submit(client, article, body="x" * 21)
    assert response.status_code == 400
    assert "at most 20 characters" in response.content.decode()
    assert Comment.objects.count() == 0


def test_cross_site_post_is_refused(client, article):
    response = client.post(
        f"/article/{article.slug}/comments", form_data(), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    # A sentence, said as one: it is no HTML document.
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Forms can only be posted from this site's own pages."
    response = client.post(
        f"/article/{article.slug}/comments", form_data(), HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "header", [{"HTTP_ORIGIN": "http://[testserver"}, {"HTTP_REFERER": "https://[::1/x"},
               {"HTTP_ORIGIN": "http://test]server"}, {"HTTP_REFERER": "http://[v1.x]/"}],
)  # fmt: skip
def test_a_post_whose_origin_cannot_be_read_is_refused(client, article, header):
    """An Origin or Referer that is no readable address is no page of this site's: the
    comment and the report are refused as from another site, not answered with a 500."""
    first = post(article, "Reported.")
    comment = client.post(f"/article/{article.slug}/comments", form_data(), **header)
    report = client.post(f"/moderation/report/{first.pk}", {"reason": "spam"}, **header)
    for response in (comment, report):
        assert response.status_code == 403
        assert response.content.decode() == "Forms can only be posted from this site's own pages."
    assert Comment.objects.count() == 1 and not first.reports.exists()


def test_signed_in_reader_needs_the_csrf_token(article, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-long-enough-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert submit(client, article).status_code == 403
    page = client.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/article/{article.slug}/comments",
        form_data(author_name="", csrfmiddlewaretoken=token),
        **ORIGIN,
    )
    assert response.status_code == 302
    assert Comment.objects.get().user == user


def test_anonymous_page_is_cacheable_and_answers_304(client, article):
    response = client.get(article.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in str(response.headers) and not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # Compared weakly, as RFC 9110 says, whether a client or proxy sends it weak or not.
    strong = response["ETag"].removeprefix("W/")
    for names in (strong, f'"other", {response["ETag"]}'):
        assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=names).status_code == 304
    post(article, "news")
    changed = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200


def test_pending_comment_is_shown_only_to_its_author(client, article, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    location = submit(client, article, body="Held words")["Location"]
    mine = client.get(location)
    assert "Held words" in mine.content.decode()
    assert "awaiting moderation" in mine.content.decode()
    assert "private" in mine["Cache-Control"]
    stranger = Client().get(article.get_absolute_url()).content.decode()
    assert "Held words" not in stranger
    assert "0 Comments" in stranger


def test_remember_me_only_when_ticked(client, article):
    response = submit(client, article, author_name="Rememberme", remember="on")
    assert "bs_author" in response.cookies
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Rememberme"' in page
    other = Client()
    response = submit(other, article, author_name="Forgetme")
    assert not response.cookies.get("bs_author") or not response.cookies["bs_author"].value
    assert 'value="Forgetme"' not in other.get(article.get_absolute_url()).content.decode()


def test_own_comment_can_be_edited_and_deleted_from_the_page(client, article):
    submit(client, article, body="first draft")
    comment = Comment.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/c/{comment.pk}/edit"' in page
    assert client.get(f"/c/{comment.pk}/edit").status_code == 200
    assert client.post(f"/c/{comment.pk}/edit", {"body": "second draft"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "second draft" and comment.edited_at
    assert client.post(f"/c/{comment.pk}/delete").status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    assert Article.objects.get(pk=article.pk).comment_count == 0


def test_own_comment_offers_no_edit_or_delete_once_its_window_has_passed(client, article):
    submit(client, article, body="Said in haste")
    comment = Comment.objects.get()
    edit, delete = f'href="/c/{comment.pk}/edit"', f'href="/c/{comment.pk}/delete"'
    page = client.get(article.get_absolute_url()).content.decode()
    assert edit in page and delete in page
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))

    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in page and "Said in haste" in page
    assert edit not in page and delete not in page
    # Opened anyway, each page says the time has passed, and offers no button.
    for action in ("edit", "delete"):
        response = client.get(f"/c/{comment.pk}/{action}")
        assert response.status_code == 403
        assert "The time for editing this comment has passed." in response.content.decode()
        assert "<button" not in response.content.decode().split('<main id="main">')[1]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_edit_page_says_until_when_in_one_sentence(client, article):
    submit(client, article, body="first draft")
    comment = Comment.objects.get()
    page = client.get(f"/c/{comment.pk}/edit").content.decode()
    # English times end in "a.m." or "p.m.": the sentence must not add a second stop.
    note = re.search(r"<p>On <a [^>]*><bdi>Hello world</bdi></a>\. ([^<]*)</p>", page).group(1)
    assert re.fullmatch(
        r"You have until \d{1,2}:\d\d [ap]\.m\., 15 minutes from now, to change it\.", note
    ), note


def test_edit_page_says_how_many_minutes_are_left(client, article, site):
    # The time alone is the site's (UTC here), which a reader elsewhere reads wrong.
    submit(client, article, body="first draft")
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=14, seconds=30)
    )
    page = client.get(f"/c/{comment.pk}/edit").content.decode()
    assert ", a minute from now, to change it." in page
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=12, seconds=30)
    )
    site.language = "he"
    save_site_settings(site)
    page = client.get(f"/c/{comment.pk}/edit").content.decode()
    assert re.search(r"אפשר לשנות אותה עד \d\d:\d\d, כלומר בעוד 3 דקות\.</p>", page)


def test_strangers_cannot_edit(client, article):
    comment = post(article, "not yours")
    assert client.get(f"/c/{comment.pk}/edit").status_code == 404
    assert client.post(f"/c/{comment.pk}/delete").status_code == 404


def test_reply_page_and_quote_prefill(client, article):
    root = post(article, "Line one\nLine two", author_name="Jane Doe")
    reply_page = client.get(f"/c/{root.pk}/reply").content.decode()
    assert f'name="parent_id" value="{root.pk}"' in reply_page
    # Its form is headed as WordPress heads a reply's, and can be left for the article's.
    assert (
        f'<h2 id="respond">Leave a Reply to <a href="/c/{root.pk}"><bdi>Jane Doe</bdi></a></h2>'
    ) in reply_page
    assert '<a class="cancel-reply" href="/article/hello-world/#respond">' in reply_page
    quote_page = client.get(f"/c/{root.pk}/reply?quote=1").content.decode()
    assert f"&gt; [Jane Doe wrote:](/c/{root.pk})" in quote_page
    assert "&gt; Line two" in quote_page


def test_reply_posts_into_the_thread(client, article):
    root = post(article, "root")
    submit(client, article, body="answer", parent_id=str(root.pk))
    reply = Comment.objects.get(body="answer")
    assert reply.parent == root and reply.thread_id == root.pk


def test_the_form_is_sent_with_the_page_and_order_the_reader_is_on(client, article, site):
    site.comments_per_page = 1
    site.save()
    for i in range(3):
        post(article, f"root {i}")
    url = article.get_absolute_url()
    action = f'action="{url}comments?order=newest&amp;page=2"'
    assert action in client.get(url + "?order=newest&page=2").content.decode()
    # The defaults are left out: the first page, oldest first, is the plain address.
    assert f'action="{url}comments"' in client.get(url).content.decode()


def test_a_comment_posted_newest_first_leads_to_its_place_in_that_order(client, article, site):
    site.comments_per_page = 2
    site.save()
    roots = [post(article, f"root {i}") for i in range(5)]
    url = f"/article/{article.slug}/comments?order=newest&page=3"
    # The oldest thread is on the last page read newest first: its reply leads there.
    answer = client.post(url, form_data(body="answer", parent_id=str(roots[0].pk)), **ORIGIN)
    reply = Comment.objects.get(body="answer")
    page = article.get_absolute_url()
    assert answer["Location"] == f"{page}?order=newest&page=3#comment-{reply.pk}"
    # A new thread is the newest: the first page.
    fresh = client.post(url, form_data(body="a new thread"), **ORIGIN)
    new = Comment.objects.get(body="a new thread")
    assert fresh["Location"] == f"{page}?order=newest#comment-{new.pk}"


def test_a_reply_sent_back_to_be_mended_shows_the_page_of_the_comment_it_answers(
    client, article, site
):
    site.comments_per_page = 2
    site.save()
    roots = [post(article, f"root {i}", author_name=f"Reader {i}") for i in range(5)]
    # Sent from the reply page, whose form names no page of the discussion.
    response = submit(client, article, author_name="", body="answer", parent_id=str(roots[4].pk))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Comment page 3 of 3" in html and f'id="comment-{roots[4].pk}"' in html
    # The form's heading says whom it answers, to the eye and to the comment box's
    # description, and offers to leave the comment unanswered: the form at the top.
    assert (
        f'<h2 id="respond">Leave a Reply to <a href="/c/{roots[4].pk}"><bdi>Reader 4</bdi></a></h2>'
    ) in html
    assert '<a class="cancel-reply" href="/article/hello-world/?page=3#respond">' in html
    assert _described(html)["body"] == ["respond", "id_body_note"]
    # Read newest first, that comment is on the first page.
    url = f"/article/{article.slug}/comments?order=newest"
    again = client.post(url, form_data(author_name="", parent_id=str(roots[4].pk)), **ORIGIN)
    assert "Comment page 1 of 3" in again.content.decode()
    assert Comment.objects.count() == 5


def test_reply_to_a_comment_of_another_article_is_refused(client, article):
    from tests.conftest import make_article

    elsewhere = post(make_article(), "elsewhere")
    response = submit(client, article, body="answer", parent_id=str(elsewhere.pk))
    assert response.status_code == 400
    assert Comment.objects.filter(body="answer").count() == 0


def test_quoted_reply_links_back_to_the_quoted_comment(client, article):
    root = post(article, "quotable words", author_name="Jane")
    quote = f"> [Jane wrote:](/c/{root.pk})\n>\n> quotable words\n\nI disagree."
    submit(client, article, body=quote, parent_id=str(root.pk))
    reply = Comment.objects.get(parent=root)
    assert f'<blockquote>\n<p><a href="/c/{root.pk}"' in reply.body_html


def test_closed_article_shows_no_form(client, article):
    article.comments_open = False
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed" in html and "Post Comment" not in html
    assert submit(client, article).status_code == 403


def test_draft_article_is_not_found(client):
    from tests.conftest import make_article

    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_thread_depth_site_setting_limits_indentation(client, article, site):
    site.thread_depth = 2
    site.save()
    parent = post(article, "level 0")
    for depth in range(1, 5):
        parent = post(article, f"level {depth}", parent=parent)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "depth-2" in html and "depth-3" not in html
    assert "in reply to" in html


def test_own_held_comment_permalink_lands_on_the_page_that_shows_it(client, article, site):
    site.comments_per_page = 2
    site.save()
    post(article, "public thread")
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    submit(client, article, body="held one")
    location = submit(client, article, body="held two")["Location"]
    held_two = Comment.objects.get(body="held two")
    assert location.endswith(f"?page=2#comment-{held_two.pk}")
    assert "held two" in client.get(location).content.decode()


def test_anonymous_article_page_is_served_from_the_shared_cache_until_it_changes(client, article):
    post(article, "first words")
    first = queries_for(client, article.get_absolute_url())
    cached = queries_for(client, article.get_absolute_url())
    assert cached < first
    post(article, "second words")
    assert "second words" in client.get(article.get_absolute_url()).content.decode()


def test_page_cache_is_not_used_for_personal_pages(client, article, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    Client().get(article.get_absolute_url())  # an anonymous copy is now cached
    location = submit(client, article, body="Only mine")["Location"]
    assert "Only mine" in client.get(location).content.decode()
    assert "Only mine" not in Client().get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        (None, "Posted without the time the form was served."),
        ("forged:stamp", "Posted without the time the form was served."),
        ("old", "Posted more than 3 days after the form was served."),
    ],
)
def test_a_form_post_without_a_fresh_stamp_is_held(client, article, stamp, reason):
    data = form_data(body="Hello from somewhere")
    if stamp is None:
        del data["stamp"]
    elif stamp == "old":
        data["stamp"] = signing.dumps(int(time.time()) - 4 * 86400, salt=_FORM_SALT)
    else:
        data["stamp"] = stamp
    client.post(f"/article/{article.slug}/comments", data, **ORIGIN)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert reason in [r["reason"] for r in comment.reasons]


def test_a_form_shown_again_keeps_the_time_it_was_first_served(client, article):
    stamp = signing.dumps(int(time.time()) - 60, salt=_FORM_SALT)
    response = submit(client, article, author_name="", stamp=stamp)
    assert response.status_code == 400
    assert f'name="stamp" value="{stamp}"' in response.content.decode()
    # A forged one is not carried on: the page gets a fresh, signed time.
    forged = submit(client, article, author_name="", stamp="forged:stamp").content.decode()
    assert 'value="forged:stamp"' not in forged


def test_the_pages_etag_changes_each_day_so_its_stamp_stays_fresh(client, article, monkeypatch):
    first = client.get(article.get_absolute_url())["ETag"]
    assert client.get(article.get_absolute_url())["ETag"] == first
    tomorrow = time.time() + 86400
    monkeypatch.setattr(time, "time", lambda: tomorrow)
    assert client.get(article.get_absolute_url())["ETag"] != first


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u3164", "\u202e \u2060", "\u0301"])
def test_a_name_that_draws_nothing_is_refused(client, article, name):
    response = submit(client, article, author_name=name)
    assert response.status_code == 400
    assert "at least one character that can be seen" in response.content.decode()
    assert not Comment.objects.exists()
    # Names in any script are fine, joiners and marks included.
    for fine in ("نرگس\u200cها", "José", "👩\u200d🔬 Ana"):
        assert submit(client, article, author_name=fine, body=fine).status_code == 302


def test_a_comment_from_a_staff_account_is_marked_so_a_name_alone_proves_nothing(
    client, article, django_user_model
):
    editor = django_user_model.objects.create_user("nell", is_staff=True)
    post(article, "From the newsroom.", author_name="Nell Okafor", user=editor)
    post(article, "Me too.", author_name="Nell Okafor")
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('<span class="staff">Staff</span>') == 1
    staff_comment = html.index("From the newsroom.")
    assert html.rindex('<span class="staff">Staff</span>', 0, staff_comment) > html.rfind(
        "<li", 0, staff_comment
    )


def test_the_staff_mark_follows_the_account_on_a_page_already_cached(
    client, article, django_user_model
):
    editor = django_user_model.objects.create_user("nell", is_staff=True)
    post(article, "From the newsroom.", author_name="Nell Okafor", user=editor)
    first = client.get(article.get_absolute_url())
    assert b'<span class="staff">Staff</span>' in first.content

    editor.is_staff = False  # she left the newsroom; her account stays
    editor.save()
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and b'class="staff"' not in again.content

    editor.is_staff = True
    editor.save()
    first = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=again["ETag"])
    assert first.status_code == 200 and b'class="staff"' in first.content
    editor.delete()  # her comment stays, no longer anyone's
    gone = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert gone.status_code == 200 and b'class="staff"' not in gone.content
    assert b"From the newsroom." in gone.content


def test_signing_in_leaves_cached_pages_alone(client, article, django_user_model):
    editor = django_user_model.objects.create_user("nell", password="pw-123456", is_staff=True)
    post(article, "From the newsroom.", author_name="Nell Okafor", user=editor)
    first = client.get(article.get_absolute_url())
    client.login(username="nell", password="pw-123456")  # saves last_login alone
    client.logout()
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


STAFF_NAME = "That name belongs to a member of staff."


def test_a_staff_members_name_is_refused_by_the_name_field(client, article, django_user_model):
    django_user_model.objects.create_user(
        "nokafor", first_name="Nell", last_name="Okafor", is_staff=True
    )
    response = submit(client, article, author_name="NELL  OKAFOR", body="Comments close today.")
    assert response.status_code == 400
    html = response.content.decode()
    (field,) = re.findall(r'<div class="field has-error">.*?<p class="note"', html, re.S)
    assert 'name="author_name"' in field and STAFF_NAME in field
    assert 'value="NELL  OKAFOR"' in field  # the form comes back as the reader filled it
    assert "Comments close today." in html
    assert not Comment.objects.exists()
    assert submit(client, article, author_name="Nell from Leeds").status_code == 302


def test_the_staff_member_signed_in_posts_under_their_name(client, article, django_user_model):
    editor = django_user_model.objects.create_user(
        "nokafor", first_name="Nell", last_name="Okafor", is_staff=True
    )
    client.force_login(editor)
    assert submit(client, article, author_name="").status_code == 302
    comment = Comment.objects.get()
    assert (comment.author_name, comment.user) == ("Nell Okafor", editor)


def test_a_signed_in_reader_sending_a_staff_name_sees_why_above_the_form(
    client, article, django_user_model
):
    django_user_model.objects.create_user(
        "nokafor", first_name="Nell", last_name="Okafor", is_staff=True
    )
    client.force_login(django_user_model.objects.create_user("jo"))
    # Their form has no name field (the account gives the name); a forged post can add one.
    response = submit(client, article, author_name="Nell Okafor")
    assert response.status_code == 400
    errors = re.search(
        r'<div class="errors" role="alert"[^>]*>.*?</div>', response.content.decode()
    )
    assert errors and STAFF_NAME in errors.group(0)
    assert not Comment.objects.exists()


def test_a_form_post_over_the_readers_limit_is_413_and_stores_nothing(client, article, settings):
    settings.BROADSHEET_READER_BODY_LIMIT = 2_000
    response = submit(client, article, body="x" * 3_000)
    assert response.status_code == 413
    assert "larger than 2000 bytes" in response.content.decode()
    assert not Comment.objects.exists()
    assert submit(client, article, body="x" * 500).status_code == 302


def _described(html: str) -> dict[str, list[str]]:
    """Each form field's aria-describedby, by name."""
    fields = re.findall(r"<(?:input|textarea)\b[^>]*>", html)
    return {
        re.search(r'name="([^"]+)"', f).group(1): re.search(r'aria-describedby="([^"]*)"', f)
        .group(1)
        .split()
        for f in fields
        if "aria-describedby" in f
    }


def test_the_form_fields_name_their_notes_and_errors_for_screen_readers(client, article, site):
    described = _described(client.get(article.get_absolute_url()).content.decode())
    assert described["body"] == ["id_body_note"]
    assert described["author_email"] == ["id_author_email_note"]
    assert described["notify_replies"] == ["id_notify_replies_note"]
    # Shown again with a mistake: the error first, then the note.
    page = submit(client, article, author_name="", body="Hello").content.decode()
    assert _described(page)["author_name"] == ["id_author_name_error", "id_author_name_note"]
    # A story whose comments wait for a moderator says so to the comment box too.
    first = post(article, "First")
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    assert _described(Client().get(article.get_absolute_url()).content.decode())["body"] == [
        "held-note", "id_body_note"
    ]  # fmt: skip
    # A reply's box also says whom it answers.
    assert _described(Client().get(f"/c/{first.pk}/reply").content.decode())["body"] == [
        "respond", "held-note", "id_body_note"
    ]  # fmt: skip


def test_deleting_own_comment_says_so_on_the_readers_page_only(client, article):
    submit(client, article, body="regretted")
    comment = Comment.objects.get()
    response = client.post(f"/c/{comment.pk}/delete")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Your comment was deleted." in page.content.decode()
    assert "private" in page["Cache-Control"]
    # Anyone else following the same address gets the shared copy, which says nothing.
    shared = Client().get(response["Location"])
    assert "public" in shared["Cache-Control"]
    assert "Your comment was deleted." not in shared.content.decode()
    # Nor does the reader's page say it of a comment that is not theirs, or not deleted.
    other = post(article, "someone else's")
    change_status(other, Comment.Status.DELETED)
    for named in (other.pk, comment.pk + 1000, "x"):
        page = client.get(f"{article.get_absolute_url()}?deleted={named}").content.decode()
        assert "Your comment was deleted." not in page
    submit(client, article, body="kept")
    kept = Comment.objects.get(body="kept")
    page = client.get(f"{article.get_absolute_url()}?deleted={kept.pk}").content.decode()
    assert "Your comment was deleted." not in page


def test_posting_a_comment_reads_its_markdown_once(client, article, monkeypatch):
    # The form checks how deep the comment's quotes go and the action renders it: both
    # from one reading of the text, which is most of what rendering costs.
    from markdown_it import MarkdownIt

    read = []
    parse = MarkdownIt.parse
    monkeypatch.setattr(
        MarkdownIt, "parse", lambda md, *a, **k: read.append(1) or parse(md, *a, **k)
    )
    body = "> A quote of the article\n\nand a *reply* to it, https://example.com/a (unique 7f3a)"
    assert submit(client, article, body=body).status_code == 302
    assert len(read) == 1
    (comment,) = Comment.objects.filter(article=article)
    assert comment.body_html == (
        "<blockquote>\n<p>A quote of the article</p>\n</blockquote>\n<p>and a <em>reply</em> "
        'to it, <a href="https://example.com/a" rel="nofollow ugc noopener">https://example.com/a</a>'
        " (unique 7f3a)</p>\n"
    )


def test_posting_a_comment_reads_the_site_settings_once(client, article):
    # The page's language and the moderation checks read the same row.
    SiteSettings.load()  # made
    with CaptureQueriesContext(connection) as ctx:
        assert (
            submit(client, article, body="Settled in one read of the settings.").status_code == 302
        )
    read = [q["sql"] for q in ctx.captured_queries if "newsroom_sitesettings" in q["sql"]]
    assert len(read) == 1


def test_a_changed_comment_policy_holds_the_next_form_post(client, article):
    # The settings the post is judged by are the ones saved last, not a copy kept.
    assert submit(client, article, body="Published at once, as the site says.").status_code == 302
    site = SiteSettings.load()
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    save_site_settings(site)
    assert submit(client, article, body="Held, as the site now says.").status_code == 302
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "Published at once, as the site says.": Comment.Status.APPROVED,
        "Held, as the site now says.": Comment.Status.PENDING,
    }
