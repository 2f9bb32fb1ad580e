"""Images an article shows cannot be deleted; words changed redraw their pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from broadsheet.media import actions
from broadsheet.media.models import Image
from broadsheet.newsroom import actions as newsroom_actions
from tests.conftest import make_article
from tests.media.samples import add, png, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.org", "x"))
    return client


def test_an_unused_image_is_deleted_with_its_file(admin_client, django_capture_on_commit_callbacks):
    image = add(png())
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(f"/admin/media/image/{image.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302
    assert not Image.objects.exists() and stored_files() == []


def test_an_image_in_an_article_body_is_not_deleted(admin_client):
    image = add(png())
    article = make_article(title="Flood", body=f"Look:\n\n{image.markdown}\n")
    assert f'src="{image.url}"' in article.body_html
    page = admin_client.get(f"/admin/media/image/{image.pk}/delete/").content.decode()
    assert "Flood" in page and "shows it in its body" in page
    admin_client.post(f"/admin/media/image/{image.pk}/delete/", {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists() and stored_files() == [image.file]
    with pytest.raises(actions.ImageInUse):
        actions.delete_image(image)


def test_a_lead_image_is_not_deleted(admin_client):
    image = add(png())
    make_article(title="Dam", lead_image=image)
    answer = admin_client.post(
        "/admin/media/image/", {"action": "delete_selected", "_selected_action": [image.pk],
                                "post": "yes"},
    )  # fmt: skip
    assert answer.status_code == 200 and "Dam" in answer.content.decode()
    assert Image.objects.filter(pk=image.pk).exists()


def test_changing_an_image_s_words_redraws_the_pages_that_lead_with_it():
    image = add(png())
    article = make_article(lead_image=image)
    other = make_article()
    before = article.changed_at
    image.caption = "Water reached the first floor."
    actions.save_image(image)
    article.refresh_from_db()
    assert article.changed_at > before
    assert other.changed_at == type(other).objects.get(pk=other.pk).changed_at


def test_choosing_a_lead_image_redraws_the_page():
    article = make_article()
    before = article.changed_at
    article.lead_image = add(png())
    newsroom_actions.save_article(article)
    article.refresh_from_db()
    assert article.changed_at > before
