"""An editor's day in the admin: writing, filing, scheduling, mistakes."""

from __future__ import annotations

import pytest

from broadsheet.newsroom.models import Author, Section
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    )
    return client


def test_admin_article_list_queries_do_not_grow_with_articles(
    editor_client, django_assert_max_num_queries
):
    section = Section.objects.create(name="City", slug="city")
    author = Author.objects.create(name="Ana Lee", slug="ana-lee")
    for i in range(3):
        make_article(title=f"Story {i}", section=section, author=author)
    editor_client.get("/admin/newsroom/article/")
    with django_assert_max_num_queries(15) as few:
        editor_client.get("/admin/newsroom/article/")
    for i in range(20):
        make_article(title=f"More {i}", section=section, author=author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = editor_client.get("/admin/newsroom/article/")
    assert page.content.decode().count("Ana Lee") >= 23
