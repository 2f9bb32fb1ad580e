"""Each tab of the queue is titled after its own label, as its link in the tabs reads."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("tab", ["pending", "reported", "spam", "decided"])
def test_a_tabs_title_is_its_label(staff, tab):
    page = staff.get(f"/moderation/?tab={tab}").content.decode()
    (title,) = re.findall(r"<title>Moderation: (.*?) \|", page)
    labels = re.findall(r'<li><a href="/moderation/\?tab=(\w+)"[^>]*>(.*?) <span', page)
    assert (tab, title) in labels


def test_a_storys_title_keeps_its_own_direction_on_every_page_of_a_hebrew_site(
    staff, article, moderator
):
    """An English title ending in "?" on a Hebrew page: isolated (``dir="auto"``), its
    "?" stays at its end, where the page's direction drew it before the title."""
    from broadsheet.moderation import actions
    from broadsheet.newsroom.actions import save_site_settings
    from broadsheet.newsroom.models import SiteSettings
    from tests.conftest import post

    site = SiteSettings.load()
    site.language = "he"
    save_site_settings(site)
    article.title = "Buses again?"
    article.save(update_fields=["title"])
    comment = post(article, "A comment", author_email="jo@example.org")
    actions.reject(comment, actor=moderator)
    isolated = f'<a href="{article.get_absolute_url()}" dir="auto">Buses again?</a>'
    for url in (
        "/moderation/?tab=decided",
        "/moderation/log/",
        f"/moderation/?story={article.pk}",
        f"/moderation/story/{article.pk}/",
        f"/moderation/{comment.pk}/block",
    ):
        page = staff.get(url).content.decode()
        assert isolated in page, url
