from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, Author, Section, Tag
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db


def test_front_page_lists_live_articles_latest_first(client):
    old = make_article(title="Older news", published_at=timezone.now() - timedelta(days=2))
    new = make_article(title="Newer news", published_at=timezone.now() - timedelta(hours=1))
    make_article(title="Secret draft", status=Article.Status.DRAFT, published_at=None)
    html = client.get("/").content.decode()
    assert html.index(new.title) < html.index(old.title)
    assert "Secret draft" not in html


def test_front_page_is_paginated(client, settings):
    settings.BROADSHEET_ARTICLES_PER_PAGE = 3
    for i in range(7):
        make_article(title=f"Story {i}", published_at=timezone.now() - timedelta(hours=i + 1))
    page3 = client.get("/?page=3").content.decode()
    assert "Story 6" in page3 and "Story 0" not in page3
    assert "Page 3 of 3" in page3
    assert 'href="?page=2" rel="prev">« Newer' in page3


def test_front_page_queries_do_not_grow_with_articles(client, django_assert_num_queries):
    for i in range(3):
        make_article(title=f"Story {i}")
    client.get("/")  # the site settings row is created on first use
    with django_assert_num_queries(4):
        client.get("/")
    for i in range(12):
        make_article(title=f"More {i}")
    with django_assert_num_queries(4):
        client.get("/?page=2")


def test_front_page_and_archives_are_cacheable_and_answer_304(client):
    section = Section.objects.create(name="Science", slug="science")
    make_article(title="River study", section=section)
    for url in ("/", "/section/science/"):
        page = client.get(url)
        assert "public" in page["Cache-Control"] and "must-revalidate" in page["Cache-Control"]
        assert not page.cookies
        for names in (page["ETag"], f"W/{page['ETag']}", f'"x", {page["ETag"]}'):
            assert client.get(url, HTTP_IF_NONE_MATCH=names).status_code == 304
    before = client.get("/")["ETag"]
    make_article(title="Fresh news", section=section)
    changed = client.get("/", HTTP_IF_NONE_MATCH=before)
    assert changed.status_code == 200 and "Fresh news" in changed.content.decode()


def test_scheduled_article_appears_by_itself_at_its_time(client):
    later = timezone.now() + timedelta(hours=2)
    article = actions.publish(
        make_article(status=Article.Status.DRAFT, published_at=None), at=later
    )
    assert article.status == Article.Status.SCHEDULED
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/").content.decode()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get("/").content.decode()


def test_scheduling_without_a_time_is_refused_not_published_at_once(admin_client):
    form = {
        "title": "Embargoed story", "slug": "embargoed-story", "summary": "", "body": "Later.",
        "source_name": "", "source_url": "", "status": "scheduled",
        "published_at_0": "", "published_at_1": "", "comments_open": "on",
        "comment_policy": "site",
    }  # fmt: skip
    response = admin_client.post("/admin/newsroom/article/add/", form)
    assert response.status_code == 200
    assert "A scheduled article needs a time." in response.content.decode()
    assert not Article.objects.filter(slug="embargoed-story").exists()


def test_section_tag_and_author_archives(client):
    section = Section.objects.create(name="Science", slug="science")
    tag = Tag.objects.create(name="Rivers", slug="rivers")
    author = Author.objects.create(name="Ana Lee", slug="ana-lee", bio="Covers the valley.")
    article = make_article(title="River study", section=section, author=author, tags=[tag])
    make_article(title="Unrelated")
    for url in ("/section/science/", "/tag/rivers/", "/author/ana-lee/"):
        html = client.get(url).content.decode()
        assert article.title in html and "Unrelated" not in html
    assert "Covers the valley." in client.get("/author/ana-lee/").content.decode()
    assert client.get("/section/nope/").status_code == 404


def test_article_page_shows_byline_source_section_and_tags(client):
    tag = Tag.objects.create(name="Transit", slug="transit")
    article = make_article(
        title="Bus lanes",
        body="## Why\n\nBecause *buses*.",
        author=Author.objects.create(name="Sam Roe", slug="sam-roe"),
        section=Section.objects.create(name="City", slug="city"),
        source_name="Valley Courier",
        source_url="https://courier.example/bus",
        tags=[tag],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h2>Why</h2>" in html and "<em>buses</em>" in html
    assert 'href="/author/sam-roe/">Sam Roe</a>' in html
    assert '<a href="https://courier.example/bus">Valley Courier</a>' in html
    assert 'rel="tag" href="/tag/transit/">Transit</a>' in html


def test_article_markdown_is_rendered_once_and_sanitized():
    article = make_article(body="Hi <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script>" not in article.body_html
    assert "href" not in article.body_html


def test_unpublish_hides_the_article(client):
    article = make_article()
    actions.unpublish(article)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_admin_lists_and_previews_articles(client, django_user_model):
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    client.force_login(editor)
    article = make_article(title="Admin visible", body="**bold**")
    assert "Admin visible" in client.get("/admin/newsroom/article/?q=Admin").content.decode()
    change = client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    assert "<strong>bold</strong>" in change


def test_admin_publish_action_publishes_drafts(client, django_user_model):
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    client.force_login(editor)
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    client.post(
        "/admin/newsroom/article/",
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at


def test_admin_return_to_draft_says_what_it_did(client, django_user_model):
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    client.force_login(editor)
    live = [make_article(), make_article()]
    response = client.post(
        "/admin/newsroom/article/",
        {"action": "make_draft", "_selected_action": [a.pk for a in live]},
        follow=True,
    )
    assert "Returned 2 articles to draft." in response.content.decode()
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}


def test_a_new_article_is_by_the_editors_own_byline(client, django_user_model):
    def initial(url: str = "/admin/newsroom/article/add/") -> dict:
        return client.get(url).context["adminform"].form.initial

    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    other = Author.objects.create(name="Someone Else", slug="someone-else")
    own = Author.objects.create(name="Ed Itor", slug="ed-itor", user=editor)
    client.force_login(editor)
    assert initial()["author"] == own.pk
    # A byline given in the address is kept.
    assert initial(f"/admin/newsroom/article/add/?author={other.pk}")["author"] == str(other.pk)
    # An editor without a byline gets none.
    client.force_login(
        django_user_model.objects.create_superuser("jo", "jo@example.org", "pw-1234")
    )
    assert "author" not in initial()


def test_staff_can_preview_a_draft_and_readers_cannot(client, django_user_model):
    draft = make_article(title="Unfinished", status=Article.Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is draft" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_saving_a_stale_copy_of_an_article_keeps_the_comment_count():
    from tests.conftest import post

    article = make_article()
    stale = Article.objects.get(pk=article.pk)
    post(article, "one")
    post(article, "two")
    stale.title = "Edited headline"
    actions.save_article(stale)
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "Edited headline"
    assert fresh.comment_count == 2


def test_not_found_page_uses_the_site_layout(client, site):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert site.site_name in response.content.decode()


def test_a_source_address_that_is_not_a_web_address_is_not_linked(client):
    article = make_article(source_name="Odd Outlet", source_url="https://odd.example/a")
    Article.objects.filter(pk=article.pk).update(source_url="javascript:alert(1)")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Odd Outlet" in html
    assert "javascript:" not in html


def test_the_site_icon_is_found_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)


def test_a_listed_articles_count_leads_to_its_comments_not_to_the_form_above_them(client):
    article = make_article(title="Counted story")
    post(article, "First!")
    listing = client.get("/").content.decode()
    target = f'{article.get_absolute_url()}#comments-heading">1 Comment »</a>'
    assert target in listing
    page = client.get(article.get_absolute_url()).content.decode()
    # The anchor is the heading over the comments, below the form.
    assert page.index('class="comment-form') < page.index('id="comments-heading"')


def test_an_article_without_comments_asks_for_one_where_its_count_stood(client, site):
    # "0 Comments »" led to a heading over nothing; WordPress says "Leave a comment" and
    # leads to the form.
    article = make_article(title="Quiet story")
    url = article.get_absolute_url()
    for listing in ("/", article.section.get_absolute_url() if article.section else "/"):
        html = client.get(listing).content.decode()
        assert f'<a href="{url}#respond">Leave a comment</a>' in html
        assert "0 Comments" not in html
    page = client.get(url).content.decode()
    # In the dateline, after its last separator (which keeps to the words before it).
    assert re.search(r'&nbsp;\|\s+<a href="#respond">Leave a comment</a>\s*</p>', page)
    assert 'id="respond"' in page
    assert '<h2 id="comments-heading">0 Comments</h2>' in page  # the count, true as ever
    # An article that takes no more comments says so, and links nowhere.
    article.comments_open = False
    actions.save_article(article)
    for html in (client.get("/").content.decode(), client.get(url).content.decode()):
        assert "<span>Comments closed</span>" in html and "Leave a comment" not in html
    # Closed by the site's limit of days, as well.
    article.comments_open = True
    article.published_at = timezone.now() - timedelta(days=2)
    actions.save_article(article)
    site.close_comments_after_days = 1
    site.save()
    assert "<span>Comments closed</span>" in client.get("/").content.decode()
