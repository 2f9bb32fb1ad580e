"""Previewing an article's unsaved changes from the admin form, nothing saved."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from broadsheet.newsroom.models import Article, SearchDocument, Tag
from tests.conftest import make_article
from tests.newsroom.test_editing import article_form
from tests.newsroom.test_wordpress_notes import change_form
from tests.test_html import check_page

pytestmark = pytest.mark.django_db


def test_a_live_storys_changes_are_previewed_and_readers_still_see_the_saved_story(admin_editor):
    article = make_article(title="Night ferry", body="The ferry leaves at 23:10.")
    tag = Tag.objects.create(name="Harbour", slug="harbour")
    before = Article.objects.get(pk=article.pk)
    document = SearchDocument.objects.get(article=article).body
    _, sent = change_form(admin_editor, article)
    words = "The ferry leaves at 23:40 ⛴️, שעה מאוחרת.[^1]\n\n[^1]: Said by the pier master."
    sent |= {"title": "Late ferry", "body": words, "tags": [str(tag.pk)]}
    page = admin_editor.post(f"/admin/newsroom/article/{article.pk}/preview/", sent)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 dir="auto">Late ferry</h1>' in html and "23:40 ⛴️, שעה מאוחרת." in html
    assert 'class="footnotes"' in html and "Said by the pier master." in html
    assert 'rel="tag" href="/tag/harbour/"' in html
    check_page(html)  # valid, and each in-page link (a note's, its way back) finds its place
    assert (
        "readers still see the article as it was last saved" in html
        and '<meta name="robots" content="noindex">' in html
    )
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]
    after = Article.objects.get(pk=article.pk)
    for field in ("title", "body", "body_html", "changed_at", "updated_at"):
        assert getattr(after, field) == getattr(before, field)
    assert not after.tags.exists()
    assert SearchDocument.objects.get(article=article).body == document
    reader = Client().get(article.get_absolute_url()).content.decode()
    assert "Night ferry" in reader and "23:40" not in reader


def test_a_new_article_is_previewed_before_it_exists(admin_editor):
    page = admin_editor.post("/admin/newsroom/article/preview/", article_form(title="Pier vote"))
    html = page.content.decode()
    assert page.status_code == 200 and "Pier vote" in html
    assert "not saved. Close this tab" in html and "readers still see" not in html
    assert not Article.objects.exists()


def test_a_form_that_cannot_be_saved_says_what_to_mend_and_saves_nothing(admin_editor):
    page = admin_editor.post(
        "/admin/newsroom/article/preview/",
        article_form(source_url="https://gazette.example/a", status="scheduled"),
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "cannot be previewed until these are mended" in html
    assert "Source outlet: Name the outlet the source link leads to" in html
    assert "Published at: A scheduled article needs a time." in html
    check_page(html)
    assert not Article.objects.exists()


def test_the_form_offers_the_preview_in_a_tab_of_its_own_after_the_saving_buttons(admin_editor):
    article = make_article()
    for address, target in [
        (
            f"/admin/newsroom/article/{article.pk}/change/",
            f"/admin/newsroom/article/{article.pk}/preview/",
        ),
        ("/admin/newsroom/article/add/", "/admin/newsroom/article/preview/"),
    ]:
        html = admin_editor.get(address).content.decode()
        button = (
            '<input type="submit" value="Preview changes" name="_preview" class="previewbutton" '
            f'formaction="{target}" formtarget="_blank">'
        )
        assert button in html
        # Enter in a box presses the first button: it saves.
        assert html.index('name="_save"') < html.index(button)


def test_only_an_editor_who_may_change_it_previews_and_only_by_posting(
    admin_editor, django_user_model
):
    article = make_article()
    assert admin_editor.get(f"/admin/newsroom/article/{article.pk}/preview/").status_code == 405
    assert (
        admin_editor.post("/admin/newsroom/article/999999/preview/", article_form()).status_code
        == 404
    )
    viewer = django_user_model.objects.create_user("v", "v@example.org", "pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(viewer)
    sent = article_form(title="Changed")
    assert client.post(f"/admin/newsroom/article/{article.pk}/preview/", sent).status_code == 403
    assert client.post("/admin/newsroom/article/preview/", sent).status_code == 403
    assert (
        "Preview changes"
        not in client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    )
    assert Article.objects.get(pk=article.pk).title != "Changed"


def test_a_wordpress_note_changed_in_its_box_is_previewed_and_not_saved(tmp_path, admin_editor):
    from tests.newsroom.test_wordpress_notes import imported

    imported(tmp_path)
    article = Article.objects.get()
    body = article.body
    _, sent = change_form(admin_editor, article)
    page = admin_editor.post(
        f"/admin/newsroom/article/{article.pk}/preview/", {**sent, "note_2": "Four million."}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Four million." in html and "3--5 million" not in html
    check_page(html)
    article.refresh_from_db()
    assert article.body == body
