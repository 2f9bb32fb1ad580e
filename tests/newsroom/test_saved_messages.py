"""What saving an article in the admin says of whether readers see it."""

from __future__ import annotations

import pytest

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.newsroom.test_editing import article_form

pytestmark = pytest.mark.django_db


def said(response) -> str:
    (message,) = [str(m) for m in response.context["messages"]]
    return message


def test_publishing_says_readers_see_it_now_with_a_link_and_a_draft_says_they_no_longer_do(
    admin_editor,
):
    added = admin_editor.post(
        "/admin/newsroom/article/add/", article_form(status="draft"), follow=True
    )
    assert "was added successfully" in said(added) and "readers" not in said(added)
    article = Article.objects.get()
    change = f"/admin/newsroom/article/{article.pk}/change/"
    published = admin_editor.post(change, article_form(status="published"), follow=True)
    assert said(published).endswith(
        'It is live: readers see it now. <a href="/article/night-ferry/">View it</a>'
    )
    # Saved again, live before and after: nothing more than Django's words.
    again = admin_editor.post(change, article_form(status="published"), follow=True)
    assert said(again).endswith("was changed successfully.")
    drafted = admin_editor.post(change, article_form(status="draft"), follow=True)
    assert said(drafted).endswith("It is a draft again: readers no longer see it.")


def test_an_article_published_from_the_start_says_so_in_the_sites_language(admin_editor):
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    added = admin_editor.post("/admin/newsroom/article/add/", article_form(), follow=True)
    assert "היא באוויר: הקוראים רואים אותה עכשיו." in said(added)
    assert '<a href="/article/night-ferry/">לצפייה בה</a>' in said(added)
