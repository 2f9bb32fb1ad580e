"""Old WordPress addresses answer 301 with the article's new address."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from broadsheet.newsroom.models import Article


@pytest.mark.parametrize(
    "old",
    [
        "/2016/12/06/tom-and-jerry/",
        "/2016/12/06/tom-and-jerry",
        "/?p=10",
        "/2016/12/06/tom-and-jerry/comment-page-2/",  # a page of its comments
    ],
)
def test_old_permalinks_redirect_permanently(client, wxr_site, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == "/article/tom-and-jerry/"


def test_non_ascii_permalink_redirects(client, wxr_site):
    response = client.get(quote("/2017/03/01/שלום-עולם/"))
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(slug="שלום-עולם").get_absolute_url()


def test_drafts_are_not_revealed_by_their_old_links(client, wxr_site):
    assert client.get("/2017/02/02/members-only/").status_code == 404
    assert client.get("/?p=13").status_code == 200  # just the front page


def test_unknown_paths_still_404(client, wxr_site):
    assert client.get("/2016/12/06/never-was/").status_code == 404
    assert client.get("/?p=999").status_code == 200
