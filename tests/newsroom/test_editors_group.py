"""The Editors group ``migrate`` makes: an account put in it can run the newsroom from the
admin, and nothing beyond."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from broadsheet.media.models import Image
from broadsheet.newsroom.apps import EDITORS
from broadsheet.newsroom.models import Article, Section
from tests.conftest import make_article
from tests.media.samples import png
from tests.newsroom.test_editing import article_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> Client:
    """A staff account in the Editors group, as an operator sets one up: nothing else."""
    user = get_user_model().objects.create_user("ed", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_writes_files_and_illustrates_a_story(editor):
    index = editor.get("/admin/").content.decode()
    for model in ("newsroom/article", "newsroom/section", "newsroom/tag", "newsroom/author",
                  "media/image"):  # fmt: skip
        assert f'href="/admin/{model}/add/"' in index, model

    picture = SimpleUploadedFile("harbour.png", png(), content_type="image/png")
    uploaded = editor.post(
        "/admin/media/image/add/", {"alt_text": "The harbour at dawn", "upload": picture}
    )
    assert uploaded.status_code == 302, uploaded.content.decode()[:2000]
    image = Image.objects.get()

    harbour = {"name": "Harbour", "slug": "harbour", "description": "", "position": 0}
    section = editor.post("/admin/newsroom/section/add/", harbour)
    assert section.status_code == 302
    written = editor.post(
        "/admin/newsroom/article/add/",
        article_form(section=Section.objects.get().pk, lead_image=image.pk),
    )
    assert written.status_code == 302, written.content.decode()[:2000]
    story = Article.objects.get()
    assert story.lead_image == image and story.section.name == "Harbour"
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "The ferry leaves at 23:10." in page and 'alt="The harbour at dawn"' in page

    closed = editor.post(
        "/admin/newsroom/article/", {"action": "close_comments", "_selected_action": [story.pk]}
    )
    assert closed.status_code == 302
    story.refresh_from_db()
    assert not story.comments_open


def test_an_editor_cannot_reach_settings_accounts_or_comments(editor):
    section = Section.objects.create(name="City", slug="city")
    make_article()
    for forbidden in ("/admin/newsroom/sitesettings/", "/admin/auth/user/", "/admin/auth/group/",
                      "/admin/discussion/comment/",
                      f"/admin/newsroom/section/{section.pk}/delete/"):  # fmt: skip
        assert editor.get(forbidden).status_code == 403, forbidden
    # The moderation queue is for moderators: an editor is signed in, and refused.
    assert editor.get("/moderation/").status_code == 403
    assert Section.objects.filter(pk=section.pk).exists()


def test_the_group_is_made_once_and_an_operators_changes_to_it_stay():
    group = Group.objects.get(name=EDITORS)
    delete_article = Permission.objects.get(codename="delete_article")
    assert group.permissions.filter(pk=delete_article.pk).exists()
    group.permissions.remove(delete_article)

    call_command("migrate", verbosity=0)  # an upgrade

    assert Group.objects.filter(name=EDITORS).count() == 1
    assert not group.permissions.filter(pk=delete_article.pk).exists()
