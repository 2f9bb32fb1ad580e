"""Every character survives the form, the database and the page."""

from __future__ import annotations

import html
import importlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.discussion.models import Comment
from tests.newsroom.test_language import speak

pytestmark = pytest.mark.django_db

SAMPLES = {
    "hebrew": "שלום עולם, זו תגובה בעברית",
    "arabic": "مرحبا بالعالم، هذا تعليق بالعربية",
    "emoji": "Great piece 👍🏽 👩‍👩‍👧 🇮🇱 🎉",
    "combining": "Cafe\u0301 n\u0303 a\u0308\u0301 Z\u0335\u0321a\u0336lgo",
    "astral": "𝄞 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎 𓀀",
    "mixed": 'He said: "שלום" then مرحبا 😀',
}


def submit(client, article, body, name="Reader"):
    return client.post(
        f"/article/{article.slug}/comments",
        {"author_name": name, "body": body},
        HTTP_ORIGIN="http://testserver",
    )


@pytest.mark.parametrize("text", SAMPLES.values(), ids=SAMPLES.keys())
def test_text_round_trips_through_form_database_and_page(client, article, text):
    assert submit(client, article, text, name=text[:20]).status_code == 302
    comment = Comment.objects.get()
    assert comment.body == text
    assert comment.author_name == text[:20].strip()
    page = client.get(article.get_absolute_url()).content.decode("utf-8")
    assert html.escape(text, quote=False) in page
    assert "?" * 3 not in page.replace("???", "")  # nothing replaced by question marks


def test_rtl_comment_is_marked_to_take_its_direction_from_its_text(client, article):
    submit(client, article, SAMPLES["hebrew"])
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<div class="comment-body" dir="auto"><p>' + SAMPLES["hebrew"] in page
    assert "<bdi>Reader</bdi>" in page


def test_line_endings_become_newlines_and_outer_space_is_trimmed(client, article):
    submit(client, article, "  \r\nfirst\r\nsecond\rthird\n\n  ")
    assert Comment.objects.get().body == "first\nsecond\nthird"


def test_nul_character_is_refused_and_nothing_is_stored(client, article):
    response = submit(client, article, "bad\x00byte")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert Comment.objects.count() == 0


NUL_SAID = "The text holds a NUL character, which cannot be stored."


def test_a_nul_character_is_refused_once_by_each_field_it_is_in(client, article):
    response = submit(client, article, "bad\x00byte", name="Ja\x00ne")
    page = response.content.decode()
    assert response.status_code == 400
    # One sentence by each field, ours: Django's own check said it a second time.
    assert page.count(NUL_SAID) == 2
    assert "Null characters are not allowed." not in page
    assert Comment.objects.count() == 0

    assert submit(client, article, "Fine words.").status_code == 302
    comment = Comment.objects.get()
    response = client.post(f"/c/{comment.pk}/edit", {"body": "worse\x00words"})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count(NUL_SAID) == 1 and "Null characters" not in page
    comment.refresh_from_db()
    assert comment.body == "Fine words."


text_strategy = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\x00"),
    min_size=1,
    max_size=200,
).filter(lambda s: s.strip())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=text_strategy)
def test_any_text_is_stored_exactly_after_normalisation(client, article, text):
    Comment.objects.all().delete()
    assert submit(client, article, text).status_code == 302
    expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert Comment.objects.get().body == expected


@pytest.mark.parametrize(
    "raw",
    [
        b"author_name=Reader&body=caf%E9",
        b"author_name=Reader&body=\xff\xfe",
        b"author_name=R%C3&body=x",
    ],
)
def test_a_form_not_sent_as_utf8_is_refused_not_altered(client, article, raw):
    response = client.post(
        f"/article/{article.slug}/comments",
        raw,
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 400
    assert "not sent as UTF-8" in response.content.decode()
    assert Comment.objects.count() == 0
    # The same bytes, written as UTF-8, are taken.
    good = client.post(
        f"/article/{article.slug}/comments",
        "author_name=Reader&body=caf%C3%A9+%EF%BF%BD",
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="http://testserver",
    )
    assert good.status_code == 302
    assert Comment.objects.get().body == "café \ufffd"  # a U+FFFD typed on purpose is kept


def test_a_form_not_sent_as_utf8_is_refused_in_the_sites_language(client, article):
    speak("he")
    response = client.post(
        f"/article/{article.slug}/comments",
        b"author_name=Reader&body=caf%E9",
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 400
    assert response.content.decode() == "הטופס לא נשלח כטקסט UTF-8; דבר לא נשמר."
    assert Comment.objects.count() == 0


def test_a_multipart_form_not_in_utf8_is_refused_too(client, article):
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="author_name"\r\n\r\nMP\r\n'
        b'--XX\r\nContent-Disposition: form-data; name="body"\r\n\r\ncaf\xe9 au lait\r\n'
        b"--XX--\r\n"
    )
    response = client.post(
        f"/article/{article.slug}/comments",
        body,
        content_type="multipart/form-data; boundary=XX",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 400 and Comment.objects.count() == 0
    good = client.post(
        f"/article/{article.slug}/comments",
        body.replace(b"caf\xe9", "café".encode()),
        content_type="multipart/form-data; boundary=XX",
        HTTP_ORIGIN="http://testserver",
    )
    assert good.status_code == 302 and Comment.objects.get().body == "café au lait"


def _upgrade(app: str, name: str):
    return importlib.import_module(f"broadsheet.{app}.migrations.{name}").rerender


def test_the_upgrade_renders_again_only_what_holds_characters_html_forbids(client, article):
    """Comments and articles stored before: their HTML held what their text held. The
    migrations render those rows again, leave the others alone, and redraw their pages."""
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from broadsheet.newsroom.models import Article
    from tests.conftest import make_article, post

    pasted = post(article, "From Word:\x0bits line break, and a C1\x85control.")
    imported = post(article, "Imported.")
    untouched = post(article, "Nothing to change.")
    other = make_article(title="Quiet", slug="quiet")
    elsewhere = post(other, "Nothing here either.")
    # As they were stored before: the characters in the HTML as in the text.
    Comment.objects.filter(pk=pasted.pk).update(
        body_html="<p>From Word:\x0bits line break, and a C1\x85control.</p>\n"
    )
    Comment.objects.filter(pk=imported.pk).update(
        origin="wxr:1",
        body="<p>Old\ufdd0post &#11;here</p>",
        body_html="<p>Old\ufdd0post \x0bhere</p>",
    )
    Article.objects.filter(pk=article.pk).update(
        body="Pasted:\x0bbreak.", body_html="<p>Pasted:\x0bbreak.</p>\n"
    )
    etag = client.get(article.get_absolute_url())["ETag"]
    before = {a.pk: (a.changed_at, a.comment_count) for a in Article.objects.all()}
    kept = {c.pk: c.body_html for c in Comment.objects.filter(pk__in=[untouched.pk, elsewhere.pk])}

    with CaptureQueriesContext(connection) as queries:
        _upgrade("newsroom", "0012_rerender_characters_html_forbids")(apps, None)
        _upgrade("discussion", "0009_rerender_characters_html_forbids")(apps, None)
    assert len(queries) <= 8  # a search, a read and a write or two each: no row by row

    def html_of(comment: Comment) -> str:
        return Comment.objects.get(pk=comment.pk).body_html

    assert html_of(pasted) == "<p>From Word:<br>\nits line break, and a C1\ufffdcontrol.</p>\n"
    assert html_of(imported) == "<p>Old\ufffdpost \nhere</p>"
    assert Article.objects.get(pk=article.pk).body_html == "<p>Pasted:\nbreak.</p>\n"
    assert {c.pk: c.body_html for c in Comment.objects.filter(pk__in=kept)} == kept
    after = {a.pk: (a.changed_at, a.comment_count) for a in Article.objects.all()}
    assert after[other.pk] == before[other.pk]
    assert after[article.pk][1] == before[article.pk][1]  # counts stay true
    assert after[article.pk][0] > before[article.pk][0]
    # The article's kept page is drawn again, without them.
    response = client.get(article.get_absolute_url())
    assert response["ETag"] != etag
    assert "C1\ufffdcontrol" in response.content.decode()
    # Stored text is as it was.
    assert Comment.objects.get(pk=pasted.pk).body == pasted.body
