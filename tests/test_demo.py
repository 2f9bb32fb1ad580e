"""`broadsheet demo`: one load of the demo site, shared by the tests of this module.

Loading posts some 550 comments through the real actions, so it is done once
per module (and undone at the end); each test runs in a transaction that is
rolled back, so what one test changes the next does not see.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import escape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from broadsheet.demo import articles as content
from broadsheet.demo import loader
from broadsheet.demo.history import TURNED_AWAY
from broadsheet.discussion.models import Comment
from broadsheet.media.models import Image
from broadsheet.moderation import learned, outcomes
from broadsheet.moderation.models import AuditEntry
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

DEMO = {"origin__startswith": loader.ORIGIN}
Status = Comment.Status
HOUR = timedelta(hours=1)


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """The output of the first `broadsheet demo`; the site stays loaded for the module."""
    with django_db_blocker.unblock():
        yield run_demo()
        call_command("flush", interactive=False, verbosity=0)


def counts() -> dict[str, int]:
    return {
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "sections": Section.objects.count(),
        "tags": Tag.objects.count(),
        "authors": Author.objects.count(),
        "images": Image.objects.count(),
    }


def test_demo_publishes_about_twenty_articles_in_every_state(first_run, client):
    articles = Article.objects.filter(**DEMO)
    assert 18 <= articles.count() <= 25
    live = list(articles.live())
    assert len(live) == articles.count() - 2
    for article in live:
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.slug
        assert article.title in response.content.decode()
    hidden = articles.exclude(pk__in=[a.pk for a in live])
    assert {a.status for a in hidden} == {Article.Status.SCHEDULED, Article.Status.DRAFT}
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404
    front = client.get("/").content.decode()
    assert content.SITE_NAME in front
    assert "Loaded the demo site" in first_run


def test_demo_shows_attribution_and_a_closed_discussion(first_run, client):
    republished = Article.objects.filter(**DEMO).exclude(source_name="")
    assert republished.count() >= 2
    page = client.get(republished[0].get_absolute_url()).content.decode()
    assert f'href="{republished[0].source_url}"' in page
    closed = Article.objects.get(**DEMO, comments_open=False)
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "Comments are closed" in page
    assert closed.comment_count > 0


def test_two_stories_lead_their_discussion_with_an_editors_pick(first_run, client):
    picked = Article.objects.filter(**DEMO, comments__featured_at__isnull=False).distinct()
    assert picked.count() == 2
    budget = client.get("/article/budget-library-hours-saved-parking-charges-rise/")
    picks = budget.content.decode().split('class="picks"', 1)[1].split("</section>", 1)[0]
    assert "<bdi>Ahmed Rahimi</bdi>" in picks and "reserves for day-to-day spending" in picks


def test_busy_article_has_500_visible_comments_over_several_pages(first_run, client):
    article = Article.objects.get(slug=content.BUSY_ARTICLE)
    comments = Comment.objects.filter(article=article)
    assert article.comment_count == 500
    assert comments.visible().count() == 500
    assert comments.filter(parent__isnull=False).count() > 200
    assert comments.filter(depth__gte=4).exists()
    assert comments.filter(body__contains=" wrote:](/c/").count() > 10
    page = client.get(article.get_absolute_url()).content.decode()
    assert "500 Comments" in page
    assert "Comment page 1 of " in page
    page2 = client.get(article.get_absolute_url() + "?page=2").content.decode()
    assert "Comment page 2 of " in page2


def test_comment_times_keep_threads_in_order(first_run):
    by_id = {c.pk: c for c in Comment.objects.filter(article__origin__startswith=loader.ORIGIN)}
    for comment in by_id.values():
        root = by_id[comment.thread_id]
        assert comment.thread_key == root.created_at
        assert comment.created_at > comment.article.published_at
        if comment.parent_id:
            assert comment.created_at > by_id[comment.parent_id].created_at


def test_pending_comments_wait_for_moderators_and_readers_do_not_see_them(first_run, client):
    pending = list(Comment.objects.pending().select_related("article"))
    assert len(pending) >= 3
    for comment in pending:
        assert any(r["check"] == "first_comment" for r in comment.reasons)  # newcomers
        # Posted after the filter learned the history: each waits with its score.
        assert comment.score is not None
        page = client.get(comment.article.get_absolute_url()).content.decode()
        assert comment.body_html not in page
    # The advertisement among them also waits with what the filter saw in it.
    advert = next(c for c in pending if "valleycoachdeals" in c.body)
    reasons = [r["reason"] for r in advert.reasons if r["check"] == "learned_score"]
    assert reasons and "Weighed most" in reasons[0]
    assert advert.score > 0.5 > max(c.score for c in pending if c is not advert)
    # Spam is caught by a check (the honeypot), or was turned away by the editor.
    turned_away = Comment.objects.filter(status__in=[Status.SPAM, Status.REJECTED])
    caught = [c for c in turned_away if any(r["check"] == "honeypot" for r in c.reasons)]
    decided = [c for c in turned_away if c not in caught]
    assert caught and len(decided) == len(TURNED_AWAY)
    for comment in decided:
        assert AuditEntry.objects.filter(comment=comment, actor__username="editor").exists()
        # Written some time ago, after the article appeared.
        assert comment.article.published_at < comment.created_at < timezone.now() - HOUR
    assert client.login(username="editor", password="broadsheet-demo")
    queue = client.get("/moderation/").content.decode()
    assert pending[0].author_name in queue


def test_the_filter_has_learned_the_demo_sites_history(first_run, client):
    # Every published comment and every one turned away: the score decides from the start.
    spam_filter = learned.site_filter()
    assert spam_filter is not None
    assert spam_filter.counts == [
        Comment.objects.filter(status=Status.APPROVED).count(),
        Comment.objects.filter(status__in=[Status.SPAM, Status.REJECTED]).count(),
    ]
    article = Article.objects.get(slug=content.BUSY_ARTICLE)
    spam = client.post(
        f"/api/v1/articles/{article.slug}/comments",
        {"author_name": "Deals", "body": "Earn money from home, visit https://x.example.com"},
        content_type="application/json",
    ).json()
    held = Comment.objects.get(pk=spam["id"])
    assert held.status == Status.PENDING  # the poster is told "pending" either way
    learned_verdict = next(r for r in held.reasons if r["check"] == "learned_score")
    assert learned_verdict["action"] == "hold" and "money or offers" in learned_verdict["reason"]
    fine = client.post(
        f"/api/v1/articles/{article.slug}/comments",
        {"author_name": "Ruth", "body": "The buses on Mill Lane were late again on Saturday."},
        content_type="application/json",
    ).json()
    assert fine["status"] == "approved"


def test_right_to_left_emoji_and_combining_marks_reach_the_page(first_run, client):
    library = client.get("/article/central-library-turns-one-hundred/").content.decode()
    assert "הספרייה הזאת הצילה אותי" in library
    assert "تعلّمت الإنجليزية" in library
    assert "מַזָּל טוֹב" in library
    talk = client.get("/article/comment-sections-are-worth-keeping/").content.decode()
    assert "Ame\u0301lie Durand" in talk
    assert "وأنا أكتب بالعربية. أهلاً يا جارتي! 👋" in talk
    assert "(edited)" in talk


def test_editor_logs_in_with_the_printed_password(first_run, client):
    for line in ["http://127.0.0.1:8000/admin/", "username: editor", "password: broadsheet-demo",
                 "http://127.0.0.1:8000/moderation/"]:  # fmt: skip
        assert line in first_run
    assert client.login(username="editor", password="broadsheet-demo")
    assert client.get("/admin/").status_code == 200
    assert client.get("/moderation/").status_code == 200
    editor = Author.objects.get(user__username="editor")
    assert editor.articles.exists()


def test_the_command_docs_count_the_comments_turned_away_as_the_demo_does(first_run):
    docs = " ".join((Path(__file__).parent.parent / "docs" / "cli.md").read_text().split())
    found = re.search(
        r"(\d+) comments caught by the spam check .* history of (\d+) comments the editor "
        r"turned away \((\d+) spam, (\d+) rejected\).* counts them together "
        r"\((\d+) spam, (\d+) rejected\)",
        docs,
    )
    assert found, "docs/cli.md no longer counts the demo's spam"
    caught, turned_away, spam, rejected, all_spam, all_rejected = map(int, found.groups())
    assert turned_away == spam + rejected == len(TURNED_AWAY)
    assert Comment.objects.filter(status=Status.SPAM).count() == caught + spam == all_spam
    assert Comment.objects.filter(status=Status.REJECTED).count() == rejected == all_rejected
    assert f"{all_spam} spam, {all_rejected} rejected" in first_run


def test_the_history_was_held_before_it_was_turned_away(first_run):
    """The audit log tells the demo's history as it happened on a site: each comment
    waited for the editor, who filed it as spam or rejected it; none was published
    first, as "approved → spam" said."""
    bodies = {t.body for t in TURNED_AWAY}
    decided = AuditEntry.objects.filter(comment__body__in=bodies)
    pairs = set(decided.values_list("from_status", "to_status"))
    assert pairs == {("pending", "spam"), ("pending", "rejected")}
    assert decided.count() == len(TURNED_AWAY)


def test_second_run_adds_nothing(first_run):
    before = counts()
    output = run_demo()
    assert counts() == before
    assert "Demo site already loaded" in output
    assert "password: broadsheet-demo" in output
    assert "http://127.0.0.1:8000/moderation/" in output
    # `make run PORT=8123` serves elsewhere, and the links say so.
    elsewhere = run_demo("--url", "http://127.0.0.1:8123/")
    assert "http://127.0.0.1:8123/admin/" in elsewhere and ":8000" not in elsewhere


def test_the_serve_command_printed_listens_where_the_links_point(first_run):
    assert "Start the site with `broadsheet serve`, then:" in run_demo()
    assert "with `broadsheet serve --port 8123`," in run_demo("--url", "http://127.0.0.1:8123")
    everywhere = run_demo("--url", "http://0.0.0.0:8000/")
    assert "with `broadsheet serve --host 0.0.0.0`," in everywhere
    assert "with `broadsheet serve --host [::1] --port 8123`," in run_demo(
        "--url", "http://[::1]:8123"
    )
    # A public address is a proxy's: it says nothing of where this server listens.
    assert "with `broadsheet serve`," in run_demo("--url", "https://news.example.org")


def test_an_address_that_is_not_a_sites_is_refused(first_run):
    before = counts()
    for wrong in ("notaurl", "ftp://127.0.0.1:8123", "127.0.0.1:8123"):
        with pytest.raises(CommandError, match="is not a site's address"):
            run_demo("--url", wrong)
    assert counts() == before


def test_a_site_without_the_demo_editor_is_told_how_to_make_an_account(first_run):
    # As on a site restored from a backup of the demo written before backups held accounts.
    get_user_model().objects.filter(username=loader.EDITOR_USERNAME).delete()
    output = run_demo()
    assert "Demo site already loaded" in output
    assert "username:" not in output and loader.EDITOR_PASSWORD not in output
    assert "no `editor` account" in output and "`broadsheet createsuperuser`" in output


def test_a_changed_editor_password_is_not_printed_as_the_demos(first_run):
    editor = get_user_model().objects.get(username=loader.EDITOR_USERNAME)
    editor.set_password("a-password-of-their-own")
    editor.save(update_fields=["password"])
    output = run_demo()
    assert "username: editor" in output and loader.EDITOR_PASSWORD not in output


def test_the_sites_own_editor_account_keeps_its_password_and_powers(first_run):
    # A newsroom's own `editor` (its address not the demo's) was made a superuser with
    # the password the demo prints for all to read, and renamed Nell Okafor.
    editor = get_user_model().objects.get(username=loader.EDITOR_USERNAME)
    editor.email, editor.first_name, editor.last_name = "desk@news.example", "Ada", "Desk"
    editor.is_superuser = False
    editor.set_password("the-desks-own-password")
    editor.save()
    Author.objects.filter(user=editor).update(user=None)
    output = run_demo("--reset")
    editor.refresh_from_db()
    assert editor.check_password("the-desks-own-password") and not editor.is_superuser
    assert (editor.email, editor.first_name, editor.last_name) == (
        "desk@news.example",
        "Ada",
        "Desk",
    )
    assert not Author.objects.filter(user=editor).exists()
    assert "username: editor (its password is no longer the demo's)" in output
    assert loader.EDITOR_PASSWORD not in output


def test_a_site_whose_articles_hold_the_demos_addresses_is_told_so_and_left_alone(first_run):
    from django.core.management.base import CommandError

    # An article of the site's own at a demo article's address: loading failed half-way
    # with an IntegrityError's traceback.
    mine = Article.objects.get(slug=content.BUSY_ARTICLE)
    Article.objects.filter(pk=mine.pk).update(origin="")
    before = counts()
    address = re.escape(f"is at a demo article's address: {mine.get_absolute_url()}.")
    with pytest.raises(CommandError, match=address):
        run_demo("--reset")
    assert counts() == before


def test_a_site_of_its_own_keeps_its_name_policies_and_sections(first_run):
    from broadsheet.moderation.models import ModerationSettings

    # `demo --force` on a newsroom renamed it "The Broadsheet Demo", published every
    # comment where it held them, stopped holding first comments, and renamed its
    # sections, tags and bylines at the demo's addresses.
    make_article(slug="our-own-story", section=Section.objects.get(slug="opinion"))
    site = SiteSettings.load()
    site.site_name, site.tagline = "The Quay Gazette", "Our own"
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    rules = ModerationSettings.load()
    rules.hold_first_comment = True
    rules.save()
    Section.objects.filter(slug="opinion").update(name="Comment")
    output = run_demo("--reset")
    site = SiteSettings.load()
    assert (site.site_name, site.tagline) == ("The Quay Gazette", "Our own")
    assert site.comment_policy == SiteSettings.CommentPolicy.HOLD
    assert ModerationSettings.load().hold_first_comment
    assert Section.objects.get(slug="opinion").name == "Comment"
    assert "Loaded the demo site “The Quay Gazette”" in output
    # The demo's discussions are as on a site of its own.
    busy = Article.objects.get(slug=content.BUSY_ARTICLE)
    assert busy.comment_count == 500


def test_reset_deletes_the_demo_and_loads_it_again(first_run):
    before = counts()
    old_ids = set(Article.objects.filter(**DEMO).values_list("pk", flat=True))
    output = run_demo("--reset")
    assert counts() == before
    assert old_ids.isdisjoint(Article.objects.filter(**DEMO).values_list("pk", flat=True))
    assert Article.objects.get(slug=content.BUSY_ARTICLE).comment_count == 500
    assert f"Removed the demo's {len(old_ids)} articles" in output
    assert "password: broadsheet-demo" in output


def test_site_with_its_own_articles_is_left_alone(first_run):
    loader.unload()
    make_article(title="Our own news", slug="our-own-news")
    output = run_demo()
    assert "Not loading the demo" in output
    assert not Article.objects.filter(**DEMO).exists()
    output = run_demo("--force", "--dry-run")
    assert "Would load the demo site" in output
    assert not Article.objects.filter(**DEMO).exists()


def test_the_history_has_the_scores_it_would_have_had_when_posted(first_run):
    settled = Comment.objects.filter(
        article__origin__startswith=loader.ORIGIN,
        status__in=[Status.APPROVED, Status.REJECTED, Status.SPAM],
    ).order_by("created_at", "id")
    # Replayed in date order: no score until the filter had seen both kinds, then one each.
    statuses = list(settled.values_list("status", "score"))
    first_turned_away = next(
        i for i, (status, _) in enumerate(statuses) if status != Status.APPROVED
    )
    assert all(score is None for _, score in statuses[: first_turned_away + 1])
    assert all(score is not None for _, score in statuses[first_turned_away + 1 :])
    # So the moderators' Filter page has a history to judge the thresholds by.
    found = outcomes.site_outcomes()
    assert found.enough and found.settled > 400
    assert found.suggested_hold is not None
    assert found.hold["precision"] is not None and found.hold["recall"] > 0.5


def test_the_busiest_story_leads_with_a_picture_shown_on_its_page_and_in_link_previews(
    first_run, client
):
    article = Article.objects.get(slug=content.BUSY_ARTICLE)
    image = article.lead_image
    assert image is not None and (image.width, image.height) == (1200, 630)
    assert image.alt_text and image.credit
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="lead-image">' in page
    assert f'alt="{escape(image.alt_text)}"' in page
    assert re.search(r'<meta property="og:image" content="https?://[^"]+/media/images/', page)
    # The other stories have none, and removing the demo removes its picture.
    assert Article.objects.filter(**DEMO, lead_image__isnull=False).count() == 1


def test_the_demo_says_nothing_at_verbosity_0_but_why_it_did_nothing(first_run):
    # Loaded already: at -v 0, neither that nor how to sign in (before, both).
    assert run_demo("--verbosity", "0") == ""
    assert "Demo site already loaded" in run_demo()


def test_a_dry_run_leaves_no_picture_in_the_media_folder(first_run, settings):
    """The busiest story's picture is written before the dry run's rollback takes back
    its row: it was left in the media folder, a file no image of the library names."""
    loader.unload()  # the first load's picture, the same bytes, out of the library
    make_article(title="Our own news", slug="our-own-news")
    output = run_demo("--force", "--dry-run")
    assert "Would load the demo site" in output
    assert not Image.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [path for path in media.rglob("*") if path.is_file()] if media.exists() else True
