"""An editor holds every comment on one story, and lifts it: the action, its audit
entry, the admin's field and list actions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from broadsheet.moderation.models import AuditEntry
from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import make_article
from tests.newsroom.test_editing import article_form

pytestmark = pytest.mark.django_db
Policy = Article.CommentPolicy
LIST = "/admin/newsroom/article/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")


@pytest.fixture
def editor_client(client, editor) -> Client:
    client.force_login(editor)
    return client


def story_entries() -> list[tuple[object, int | None, str]]:
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.ARTICLE).order_by("id")
    return [(e.actor, e.article_id, e.said) for e in entries]


def test_holding_a_story_is_stored_and_audited_with_who_did_it(editor):
    article = make_article()
    before = article.changed_at
    actions.set_comment_policy(article, Policy.HOLD, actor=editor)
    stored = Article.objects.get(pk=article.pk)
    assert stored.comment_policy == Policy.HOLD
    assert stored.changed_at > before
    assert story_entries() == [
        (editor, article.pk, "Comment policy: the site's policy → hold every comment for review.")
    ]


def test_setting_the_policy_it_already_has_changes_and_audits_nothing(editor):
    article = make_article()
    before = article.changed_at
    actions.set_comment_policy(article, Policy.SITE, actor=editor)
    assert Article.objects.get(pk=article.pk).changed_at == before
    assert story_entries() == []


def test_an_unknown_policy_is_refused_and_changes_nothing(editor):
    article = make_article()
    with pytest.raises(ValueError, match="not a valid"):
        actions.set_comment_policy(article, "sometimes", actor=editor)
    assert Article.objects.get(pk=article.pk).comment_policy == Policy.SITE
    assert story_entries() == []


def test_closing_and_opening_comments_is_audited_too(editor):
    article = make_article()
    actions.set_comments_open(article, False, actor=editor)
    actions.set_comments_open(article, True, actor=editor)
    assert [note for _, _, note in story_entries()] == ["Closed comments.", "Opened comments."]


def test_only_what_the_action_sets_is_compared(editor):
    """A copy loaded before another editor closed comments does not report (or undo) it."""
    article = make_article()
    stale = Article.objects.get(pk=article.pk)
    actions.set_comments_open(article, False, actor=editor)
    actions.set_comment_policy(stale, Policy.HOLD, actor=editor)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.comments_open, stored.comment_policy) == (False, Policy.HOLD)
    assert [note for _, _, note in story_entries()][-1].startswith("Comment policy:")


def test_the_field_is_in_the_publication_fieldset_with_help(editor_client):
    article = make_article()
    page = editor_client.get(f"{LIST}{article.pk}/change/")
    fieldsets = {name: opts["fields"] for name, opts in page.context["adminform"].fieldsets}
    assert "comment_policy" in fieldsets["Publication"]
    html = page.content.decode()
    assert 'name="comment_policy"' in html
    for label in ("The site&#x27;s policy", "Hold every comment for review", "Publish comments"):
        assert label in html
    assert "Hold every comment for review on a heated story" in html


def test_the_form_holds_a_story_with_an_audit_entry(editor_client, editor):
    response = editor_client.post(f"{LIST}add/", article_form(comment_policy="hold"))
    assert response.status_code == 302
    article = Article.objects.get(slug="night-ferry")
    assert article.comment_policy == Policy.HOLD
    url = f"{LIST}{article.pk}/change/"
    form = article_form(comment_policy="publish")
    assert editor_client.post(url, form).status_code == 302
    assert Article.objects.get(pk=article.pk).comment_policy == Policy.PUBLISH
    assert [note for _, _, note in story_entries()] == [
        "Comment policy: the site's policy → hold every comment for review.",
        "Comment policy: hold every comment for review → "
        "publish comments at once (after the spam checks).",
    ]
    # Saved again as it is: nothing to audit.
    assert editor_client.post(url, form).status_code == 302
    assert len(story_entries()) == 2


def test_the_form_refuses_an_unknown_policy(editor_client):
    response = editor_client.post(f"{LIST}add/", article_form(comment_policy="sometimes"))
    assert response.status_code == 200
    assert "comment_policy" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_the_list_actions_hold_and_release_stories_and_say_so(editor_client, editor):
    held, calm = make_article(), make_article()
    chosen = {"_selected_action": [held.pk]}
    response = editor_client.post(LIST, {"action": "hold_comments", **chosen}, follow=True)
    assert "Every new comment on 1 article waits for a moderator" in response.content.decode()
    assert Article.objects.get(pk=held.pk).comment_policy == Policy.HOLD
    assert Article.objects.get(pk=calm.pk).comment_policy == Policy.SITE
    held_list = editor_client.get(LIST, {"comment_policy__exact": "hold"})
    assert list(held_list.context["cl"].result_list) == [Article.objects.get(pk=held.pk)]
    response = editor_client.post(LIST, {"action": "follow_site_policy", **chosen}, follow=True)
    assert (
        "Comments on 1 article follow the site&#x27;s policy again "
        "(it publishes comments at once)." in response.content.decode()
    )
    assert Article.objects.get(pk=held.pk).comment_policy == Policy.SITE
    assert [(actor, pk) for actor, pk, _ in story_entries()] == [
        (editor, held.pk),
        (editor, held.pk),
    ]


def test_an_account_that_may_only_view_articles_is_offered_no_action(client, django_user_model):
    """Each list action changes articles: none is for an account that may only read them
    (one could unpublish articles and close their comments)."""
    reader = django_user_model.objects.create_user("viewer", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)
    article = make_article()
    page = client.get(LIST)
    assert page.status_code == 200
    assert page.context["action_form"] is None
    for action in ("hold_comments", "follow_site_policy", "close_comments", "make_draft"):
        client.post(LIST, {"action": action, "_selected_action": [article.pk]})
    stored = Article.objects.get(pk=article.pk)
    assert (stored.comment_policy, stored.comments_open, stored.status) == (
        Policy.SITE,
        True,
        Article.Status.PUBLISHED,
    )


def test_the_audit_log_names_the_story(client, editor):
    article = make_article(title="Election night")
    actions.set_comment_policy(article, Policy.HOLD, actor=editor)
    client.force_login(editor)
    page = client.get("/moderation/log/", {"action": "article"}).content.decode()
    assert "Changed a story&#x27;s comments" in page
    assert f'<a href="{article.get_absolute_url()}">Election night</a>' in page
    assert "hold every comment for review" in page


def test_site_settings_changed_in_the_admin_are_audited_field_by_field(editor_client, editor):
    site = SiteSettings.load()
    form = {
        "site_name": site.site_name, "tagline": site.tagline, "comment_policy": "hold",
        "close_comments_after_days": "30", "thread_depth": site.thread_depth,
        "comments_per_page": site.comments_per_page,
    }  # fmt: skip
    response = editor_client.post(f"/admin/newsroom/sitesettings/{site.pk}/change/", form)
    assert response.status_code == 302
    assert SiteSettings.load().comment_policy == "hold"
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.SETTINGS)
    assert entry.actor == editor and entry.article is None
    assert entry.said == (
        "Site settings: Comment policy: publish comments at once (after the spam checks) → "
        "hold every comment for review. Close comments after days: none → 30."
    )
    editor_client.post(f"/admin/newsroom/sitesettings/{site.pk}/change/", form)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SETTINGS).count() == 1


def renamed_site_form(site: SiteSettings) -> dict[str, object]:
    """The site settings' form as saved, with only the site's name changed."""
    return {
        "site_name": "The Quay Gazette", "tagline": site.tagline,
        "comment_policy": site.comment_policy, "close_comments_after_days": "",
        "thread_depth": site.thread_depth, "comments_per_page": site.comments_per_page,
        "language": site.language,
    }  # fmt: skip


def test_saving_the_site_settings_says_so_in_three_words(editor_client):
    site = SiteSettings.load()
    form = renamed_site_form(site)
    change = f"/admin/newsroom/sitesettings/{site.pk}/change/"
    for button in ("_save", "_continue"):
        response = editor_client.post(change, {**form, button: "1"}, follow=True)
        said = [str(m) for m in response.context["messages"]]
        assert said == ["Site settings saved."], button
    assert SiteSettings.load().site_name == "The Quay Gazette"


@pytest.mark.parametrize(
    "table, heading",
    [("newsroom/sitesettings", "Change site settings"),
     ("moderation/moderationsettings", "Change moderation settings")],
)  # fmt: skip
def test_a_settings_table_of_one_row_opens_at_its_form(editor_client, table, heading):
    # Django's list would show one link under "Select … to change" and "1 site settings".
    response = editor_client.get(f"/admin/{table}/", follow=True)
    assert response.redirect_chain == [(f"/admin/{table}/1/change/", 302)]
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page and "to change" not in page
    assert f'href="/admin/{table}/add/"' not in page


def test_saving_the_site_settings_comes_back_to_their_form(editor_client):
    site = SiteSettings.load()
    change = f"/admin/newsroom/sitesettings/{site.pk}/change/"
    response = editor_client.post(change, {**renamed_site_form(site), "_save": "1"}, follow=True)
    assert response.redirect_chain[-1] == (change, 302)
    assert [str(m) for m in response.context["messages"]] == ["Site settings saved."]
