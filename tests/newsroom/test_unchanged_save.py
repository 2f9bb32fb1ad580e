"""A form saved as it was loaded changes nothing, though a browser sends its boxes'
lines ended with CRLF and its time to the second."""

from __future__ import annotations

import pytest

from broadsheet.newsroom.models import Article, SearchDocument
from tests.conftest import make_article
from tests.interchange.test_wxr_footnotes import A
from tests.newsroom.test_wordpress_notes import change_form, imported

pytestmark = pytest.mark.django_db

BODY = "## Timetable\n\nThe ferry leaves at 23:10.\n\n- Fridays\n- Saturdays 🛳️ שבת"


def as_a_browser_sends(sent: dict) -> dict:
    """The form's boxes with their lines ended by CRLF, as browsers send a textarea's."""
    boxes = ("summary", "body", *(name for name in sent if name.startswith("note_")))
    return {
        name: value.replace("\n", "\r\n") if name in boxes else value
        for name, value in sent.items()
    }


def stored(article: Article) -> tuple:
    article.refresh_from_db()
    return (
        article.body, article.summary, article.body_html, article.published_at,
        article.changed_at, article.updated_at,
    )  # fmt: skip


def test_a_form_saved_unchanged_changes_nothing(admin_editor):
    # Published now: a time with microseconds, which the form shows to the second.
    article = make_article(body=BODY, summary="Two lines:\nthis one too.", published_at=None)
    assert article.published_at.microsecond
    before = stored(article)
    indexed = SearchDocument.objects.filter(article=article).values().get()
    _, sent = change_form(admin_editor, article)
    response = admin_editor.post(
        f"/admin/newsroom/article/{article.pk}/change/", as_a_browser_sends(sent), follow=True
    )
    assert "Nothing was changed: the article is as it was." in response.content.decode()
    assert stored(article) == before
    assert SearchDocument.objects.filter(article=article).values().get() == indexed


def test_a_change_keeps_the_other_fields_as_stored_and_new_text_ends_lines_with_lf(
    admin_editor,
):
    article = make_article(body=BODY, published_at=None)
    published_at = article.published_at
    _, sent = change_form(admin_editor, article)
    sent = as_a_browser_sends(sent)
    sent["summary"] = "New\r\nsummary."
    assert admin_editor.post(f"/admin/newsroom/article/{article.pk}/change/", sent).status_code
    article.refresh_from_db()
    assert (article.body, article.summary) == (BODY, "New\nsummary.")
    assert article.published_at == published_at


def test_a_body_stored_with_crlf_is_kept_byte_for_byte(admin_editor):
    crlf = BODY.replace("\n", "\r\n") + "\r\n"
    article = make_article(body=crlf)
    _, sent = change_form(admin_editor, article)
    admin_editor.post(f"/admin/newsroom/article/{article.pk}/change/", as_a_browser_sends(sent))
    article.refresh_from_db()
    assert article.body == crlf


def test_a_wordpress_post_and_its_notes_saved_unchanged_change_nothing(tmp_path, admin_editor):
    imported(tmp_path)
    article = Article.objects.get()
    before = stored(article)
    _, sent = change_form(admin_editor, article)
    sent = as_a_browser_sends(sent)
    assert "\r\n" in sent["body"]
    admin_editor.post(f"/admin/newsroom/article/{article.pk}/change/", sent)
    assert stored(article) == before
    # A note changed in its box: its new lines end with LF, the others are as they were.
    sent["note_2"] = "The March\r\nestimate."
    admin_editor.post(f"/admin/newsroom/article/{article.pk}/change/", sent)
    article.refresh_from_db()
    assert '"The March\\nestimate."' in article.body and A in article.body
    assert "\r" not in article.body
