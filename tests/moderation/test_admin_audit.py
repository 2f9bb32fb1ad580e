"""Changes made in the admin reach the audit log, as the queue's own do."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry, Block, ModerationSettings, WordRule
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import post

pytestmark = pytest.mark.django_db

FIELDS = [
    "hold_threshold", "spam_threshold", "learned_min_examples", "max_links",
    "duplicate_window_minutes", "hold_first_comment", "trust_after", "reports_to_hide",
    "rate_per_minute", "rate_per_hour",
]  # fmt: skip


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    client.force_login(user)
    return user


def test_a_settings_change_in_the_admin_is_audited(client, editor):
    rules = ModerationSettings.load()
    data = {name: getattr(rules, name) for name in FIELDS}
    data["hold_first_comment"] = "on" if rules.hold_first_comment else ""
    data.update(hold_threshold="0.4", max_links="5")
    url = f"/admin/moderation/moderationsettings/{rules.pk}/change/"
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SETTINGS)
    assert entry.actor == editor and entry.said == "most links 2 → 5"
    # A threshold is filed as the Filter page files it.
    threshold = AuditEntry.objects.get(action=AuditEntry.Action.THRESHOLDS)
    assert threshold.said == "hold threshold 0.5 → 0.4"
    # Saving it unchanged says nothing.
    client.post(url, {**data, "hold_threshold": "0.4", "max_links": "5"})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SETTINGS).count() == 1


@pytest.mark.parametrize(
    ("language", "saved"), [("en", "Moderation settings saved."), ("he", "הגדרות הניהול נשמרו.")]
)
def test_saving_the_moderation_settings_says_so_as_the_site_settings_do(
    client, editor, language, saved
):
    # Django said "The moderation settings “Moderation settings” was changed
    # successfully.", naming the one row twice, where the site settings say "Site
    # settings saved."
    site = SiteSettings.load()
    site.language = language
    newsroom_actions.save_site_settings(site)
    rules = ModerationSettings.load()
    data = {name: getattr(rules, name) for name in FIELDS}
    data["hold_first_comment"] = "on" if rules.hold_first_comment else ""
    url = f"/admin/moderation/moderationsettings/{rules.pk}/change/"
    for button in ("_save", "_continue"):
        response = client.post(url, {**data, "max_links": "4", button: "1"}, follow=True)
        assert response.redirect_chain[-1] == (url, 302)
        assert [str(m) for m in response.context["messages"]] == [saved], button
    assert ModerationSettings.load().max_links == 4


def test_word_list_changes_in_the_admin_are_audited(client, editor):
    client.post("/admin/moderation/wordrule/add/", {"phrase": "casino", "list": "hold"})
    rule = WordRule.objects.get()
    client.post(
        f"/admin/moderation/wordrule/{rule.pk}/change/", {"phrase": "casino*", "list": "block"}
    )
    client.post(f"/admin/moderation/wordrule/{rule.pk}/delete/", {"post": "yes"})
    notes = [
        e.said for e in AuditEntry.objects.filter(action=AuditEntry.Action.WORDS).order_by("id")
    ]
    assert notes == [
        "Added “casino” on the hold list.",
        "Changed “casino” on the hold list to “casino*” on the block list.",
        "Removed “casino*” from the block list.",
    ]


def test_lifting_a_block_in_the_admin_is_audited(client, editor, article):
    comment = post(article, "troll", ip_address="192.0.2.9")
    (block,) = actions.block_author(comment, actor=editor, kinds=[Block.Kind.IP])
    client.post(f"/admin/moderation/block/{block.pk}/delete/", {"post": "yes"})
    assert not Block.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNBLOCK, actor=editor).exists()


def test_changing_a_blocks_end_in_the_admin_is_audited(client, editor, article):
    comment = post(article, "troll", ip_address="192.0.2.10")
    (block,) = actions.block_author(comment, actor=editor, kinds=[Block.Kind.IP])
    url = f"/admin/moderation/block/{block.pk}/change/"
    client.post(url, {"reason": "", "expires_at_0": "2020-01-01", "expires_at_1": "00:00:00"})
    block.refresh_from_db()
    assert block.expires_at is not None
    notes = [e.said for e in AuditEntry.objects.filter(action=AuditEntry.Action.BLOCK)]
    assert any("by IP address: now until 2020-01-01" in n for n in notes), notes
    assert any(n.startswith("Blocked by IP address for good") for n in notes), notes


def test_the_admins_audit_list_names_the_story_and_what_changed(client, editor, article):
    newsroom_actions.set_comment_policy(article, Article.CommentPolicy.HOLD, actor=editor)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ARTICLE)
    listed = client.get("/admin/moderation/auditentry/").content.decode()
    assert article.title in listed
    assert "hold every comment for review" in listed
    page = client.get(f"/admin/moderation/auditentry/{entry.pk}/change/").content.decode()
    assert "#None" not in page
    assert f"ed: Changed a story&#x27;s comments, article #{article.pk}" in page


def test_the_admins_audit_list_loads_comments_and_stories_with_the_rows(client, editor, article):
    def list_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/moderation/auditentry/").status_code == 200
        return len(queries)

    actions.reject(post(article, "one"), actor=editor)
    newsroom_actions.set_comment_policy(article, Article.CommentPolicy.HOLD, actor=editor)
    few = list_queries()
    for n in range(5):
        actions.reject(post(article, f"more {n}"), actor=editor)
    for n in range(5):
        newsroom_actions.set_comments_open(article, n % 2 == 1, actor=editor)
    assert list_queries() == few
