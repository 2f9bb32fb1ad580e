"""A WordPress post's block-editor notes, edited in boxes of their own in the admin."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from django.test import Client

from broadsheet.newsroom.models import Article
from tests.conftest import make_article
from tests.interchange.conftest import run_import, tally, wxr_file, wxr_post
from tests.interchange.test_wxr_footnotes import A, B, exported_notes, ref

pytestmark = pytest.mark.django_db

ASIDE = "0f1e2d3c-aaaa-4bbb-8ccc-000000000003"
LAST = "0f1e2d3c-aaaa-4bbb-8ccc-000000000004"

BODY = (
    f"<!-- wp:paragraph -->\n<p>The pier &amp; the &lt;old&gt; quay{ref(B, 1)} will cost more"
    f"{ref(A, 2)}.</p>\n<!-- /wp:paragraph -->\n\n"
    '<!-- wp:footnotes {"className":"is-style-pull"} /-->\n\n'
    "<!-- wp:paragraph -->\n<p>After the notes.</p>\n<!-- /wp:paragraph -->"
)
NOTES = [
    {"content": "The March estimate, 3--5 million.", "id": A},
    {"content": 'Seven to two, on <a href="https://example.org/m">record</a>.', "id": B},
    {"content": "Said aside.", "id": ASIDE},
    {"content": "Said last.", "id": LAST},
]


def imported(tmp_path, name: str = "f.xml") -> str:
    meta = {"footnotes": json.dumps(NOTES)}
    path = wxr_file(tmp_path, name, wxr_post(1, "Pier", BODY, slug="pier", meta=meta))
    return run_import("wxr", path, "--no-train")


def change_form(client, article: Article) -> tuple[str, dict[str, str | list[str]]]:
    """The article's change page, and what its form sends as it stands."""
    page = client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    return page, sent_by(page)


def sent_by(page: str) -> dict[str, str | list[str]]:
    """What the article form on ``page`` sends as it stands."""
    form = next(f for f in lxml.html.fromstring(page).forms if f.get("id") == "article_form")
    sent: dict[str, str | list[str]] = {}
    boxes = set(form.xpath(".//textarea/@name"))
    for name, value in form.form_values():
        if name in boxes and value.startswith("\n"):
            value = value[1:]  # as a browser reads the line Django starts a box's text with
        if name not in sent:
            sent[name] = value
        else:  # a second value of a name (a select of several): a list of the values
            before = sent[name]
            sent[name] = [*before, value] if isinstance(before, list) else [before, value]
    return sent


def save(client, article: Article, **changes: str):
    _, sent = change_form(client, article)
    return client.post(f"/admin/newsroom/article/{article.pk}/change/", {**sent, **changes})


def notes_shown(article: Article) -> list[str]:
    article.refresh_from_db()
    return re.findall(r'<li id="fn-[^"]*">(.*?)(?: <a [^>]*>↑</a>)*</li>', article.body_html)


def test_each_note_has_a_box_numbered_as_readers_see_it_and_the_body_no_json(
    tmp_path, admin_editor
):
    imported(tmp_path)
    article = Article.objects.get()
    page, sent = change_form(admin_editor, article)
    # B is referred to first: note 1. The notes nothing refers to follow, in WordPress's order.
    assert [sent["note_1"], sent["note_2"], sent["note_3"], sent["note_4"]] == [
        NOTES[1]["content"], NOTES[0]["content"], "Said aside.", "Said last."
    ]  # fmt: skip
    assert notes_shown(article) == [
        "Seven to two, on <a href=\"https://example.org/m\" rel=\"noopener\">record</a>.",
        "The March estimate, 3--5 million.", "Said aside.", "Said last.",
    ]  # fmt: skip
    assert sent["body"] == BODY.replace(
        '{"className":"is-style-pull"}', '{"className": "is-style-pull"}'
    )
    assert "broadsheetNotes" not in page
    # Each box says where its note is referred to, the body's words drawn as text.
    assert "Referred to after “<bdi>The pier &amp; the &lt;old&gt; quay</bdi>”." in page
    assert "after “<bdi>The pier &amp; the &lt;old&gt; quay will cost more</bdi>”." in page
    assert "Nothing in the text refers to it" in page
    assert "HTML, as imported: Markdown is not read in this body." in page


def test_saved_unchanged_the_body_is_kept_byte_for_byte(tmp_path, admin_editor):
    imported(tmp_path)
    article = Article.objects.get()
    body, shown = article.body, article.body_html
    assert save(admin_editor, article).status_code == 302
    article.refresh_from_db()
    assert article.body == body and article.body_html == shown


def test_a_note_changed_in_its_box_is_on_the_page_in_the_export_and_in_a_new_import(
    tmp_path, admin_editor
):
    imported(tmp_path)
    article = Article.objects.get()
    words = "Seven to two 🗳️ — שבעה מול שניים, عربى, e\u0301."
    assert save(admin_editor, article, note_1=words).status_code == 302
    assert notes_shown(article)[0] == words
    assert words in Client().get(article.get_absolute_url()).content.decode()
    assert json.loads(exported_notes(tmp_path)) == [
        NOTES[0],
        {"content": words, "id": B},
        *NOTES[2:],
    ]
    Article.objects.all().delete()
    run_import("wxr", tmp_path / "out.xml", "--no-train")
    assert notes_shown(Article.objects.get())[0] == words


def test_importing_the_old_file_again_keeps_the_edit_and_lists_each_note_once(
    tmp_path, admin_editor
):
    imported(tmp_path)
    article = Article.objects.get()
    save(admin_editor, article, note_2="A new estimate.")
    again = imported(tmp_path)
    assert tally(again, "posts")[1:3] == [0, 0]  # neither created nor updated
    assert notes_shown(article) == [
        "Seven to two, on <a href=\"https://example.org/m\" rel=\"noopener\">record</a>.",
        "A new estimate.", "Said aside.", "Said last.",
    ]  # fmt: skip


def test_a_note_emptied_while_the_body_refers_to_it_is_refused_and_nothing_changes(
    tmp_path, admin_editor
):
    imported(tmp_path)
    article = Article.objects.get()
    body = article.body
    response = save(admin_editor, article, note_1="  ", note_2="Changed too.")
    assert response.status_code == 200
    assert "The body still refers to this note" in response.content.decode()
    assert set(response.context["adminform"].form.errors) == {"note_1"}
    article.refresh_from_db()
    assert article.body == body


def test_a_note_emptied_after_its_reference_is_deleted_is_removed(tmp_path, admin_editor):
    imported(tmp_path)
    article = Article.objects.get()
    _, sent = change_form(admin_editor, article)
    body = str(sent["body"]).replace(ref(B, 1), "")
    assert save(admin_editor, article, body=body, note_1="", note_4="").status_code == 302
    assert notes_shown(article) == ["The March estimate, 3--5 million.", "Said aside."]
    article.refresh_from_db()
    assert [n["id"] for n in json.loads(exported_notes(tmp_path))] == [A, ASIDE]


def test_a_markdown_article_has_no_note_boxes_and_says_markdown(admin_editor):
    article = make_article(body="Claim.[^1]\n\n[^1]: A note.")
    page, sent = change_form(admin_editor, article)
    assert not any(name.startswith("note_") for name in sent)
    assert (
        'Markdown: <code dir="ltr">## …</code> a heading, <code dir="ltr">**…**</code> bold, '
        '<code dir="ltr">*…*</code> italic, <code dir="ltr">~~…~~</code> struck,' in page
    )
    assert "HTML, as imported" not in page
    # The pictures' Markdown is in the library, which opens beside the form.
    assert (
        '<a href="/admin/media/image/" target="_blank" rel="noopener">Image library (opens in a '
        "new tab)</a>" in page
    )
    assert 'name="body" cols="40" rows="24"' in page


def test_a_note_is_added_where_the_body_marks_it_new(tmp_path, admin_editor):
    imported(tmp_path)
    article = Article.objects.get()
    _, sent = change_form(admin_editor, article)
    body = str(sent["body"]).replace("will cost more", "will cost more[^new]")
    words = "Added here: <em>שלום</em> 🗳️."
    assert save(admin_editor, article, body=body, note_new=words).status_code == 302
    # Numbered where the text refers to it: between B's reference and A's.
    assert notes_shown(article) == [
        "Seven to two, on <a href=\"https://example.org/m\" rel=\"noopener\">record</a>.",
        words, "The March estimate, 3--5 million.", "Said aside.", "Said last.",
    ]  # fmt: skip
    article.refresh_from_db()
    assert "[^new]" not in article.body
    added = next(n for n in json.loads(exported_notes(tmp_path)) if n["content"] == words)
    assert ref(added["id"], 5) in article.body
    # It has a box of its own now, and the new box is empty again.
    _, sent = change_form(admin_editor, article)
    assert (sent["note_2"], sent["note_new"]) == (words, "")


@pytest.mark.parametrize(
    ("mark", "words", "said"),
    [
        ("", "A note with no place.", "Type [^new] once in the body"),
        ("[^new] and [^new]", "A note with two places.", "Type [^new] once in the body"),
        ("[^new]", "", "The body marks a new note with [^new]: write its words here."),
    ],
)
def test_a_new_note_needs_one_place_and_its_words_or_nothing_changes(
    tmp_path, admin_editor, mark, words, said
):
    imported(tmp_path)
    article = Article.objects.get()
    body = article.body
    _, sent = change_form(admin_editor, article)
    response = save(admin_editor, article, body=f"{sent['body']}{mark}", note_new=words)
    assert response.status_code == 200
    assert said in response.content.decode()
    assert set(response.context["adminform"].form.errors) == {"note_new"}
    article.refresh_from_db()
    assert article.body == body


def test_a_note_ticked_to_be_removed_goes_with_its_references(tmp_path, admin_editor):
    imported(tmp_path)
    article = Article.objects.get()
    assert save(admin_editor, article, remove_note_1="on").status_code == 302
    left = ["The March estimate, 3--5 million.", "Said aside.", "Said last."]
    assert notes_shown(article) == left
    article.refresh_from_db()
    assert f'data-fn="{B}"' not in article.body and f'data-fn="{A}"' in article.body
    assert [n["id"] for n in json.loads(exported_notes(tmp_path))] == [A, ASIDE, LAST]


def test_a_wordpress_post_without_notes_can_be_given_one(tmp_path, admin_editor):
    path = wxr_file(
        tmp_path, "f.xml", wxr_post(1, "Pier", "<p>The pier will cost more.</p>", slug="pier")
    )
    run_import("wxr", path, "--no-train")
    article = Article.objects.get()
    body = "<p>The pier will cost more.[^new]</p>"
    assert save(admin_editor, article, body=body, note_new="The March estimate.").status_code == 302
    assert notes_shown(article) == ["The March estimate."]
