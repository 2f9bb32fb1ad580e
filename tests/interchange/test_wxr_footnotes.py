"""WordPress's footnotes (6.3+) imported as a Markdown article's notes are drawn."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from broadsheet.markup import note_prefix, render_article
from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.interchange.conftest import run_export, run_import, tally, wxr_file, wxr_post

pytestmark = pytest.mark.django_db

A = "0f1e2d3c-aaaa-4bbb-8ccc-000000000001"
B = "0f1e2d3c-aaaa-4bbb-8ccc-000000000002"
GONE = "0f1e2d3c-aaaa-4bbb-8ccc-000000000009"


def ref(uuid: str, shown: int) -> str:
    """A reference as the block editor writes it."""
    return f'<sup data-fn="{uuid}" class="fn"><a href="#{uuid}" id="{uuid}-link">{shown}</a></sup>'


BODY = (
    f"<!-- wp:paragraph -->\n<p>The pier{ref(B, 1)} will cost more{ref(A, 2)}; the pier"
    f"{ref(B, 1)} again, and{ref(GONE, 3)} a lost one.</p>\n<!-- /wp:paragraph -->\n\n"
    '<!-- wp:footnotes {"className":"is-style-pull"} /-->\n\n'
    "<!-- wp:paragraph -->\n<p>After the notes.</p>\n<!-- /wp:paragraph -->"
)
NOTES = json.dumps(
    [
        {"content": "The March estimate, 3--5 --> on<script>alert(1)</script>.", "id": A},
        {"content": 'Seven to two, on <a href="https://example.org/m" onclick="x()">record</a>.',
         "id": B},
    ]
)  # fmt: skip


def imported(tmp_path, body: str = BODY, notes: str | None = NOTES, name="f.xml") -> str:
    meta = {} if notes is None else {"footnotes": notes}
    path = wxr_file(tmp_path, name, wxr_post(1, "Pier", body, slug="pier", meta=meta))
    return run_import("wxr", path, "--no-train")


def fragment_links_work(html: str) -> None:
    """Every in-page link of ``html`` leads to an element it has."""
    targets = re.findall(r'href="#([^"]*)"', html)
    assert targets
    assert set(targets) <= set(re.findall(r'\sid="([^"]*)"', html))


def test_the_notes_are_drawn_as_a_markdown_articles_where_the_block_stands(tmp_path):
    imported(tmp_path)
    shown = Article.objects.get().body_html
    prefix = note_prefix("pier")
    # B is referred to first: note 1, twice; A is note 2; the lost one keeps its number.
    markdown = render_article("a[^b] b[^a] c[^b]\n\n[^a]: x\n[^b]: y", slug="pier")
    for drawn in re.findall(r"<sup>.*?</sup>|<section[^>]*>\n<h2>.*?</h2>", markdown):
        assert drawn in shown
    assert re.findall(r'<li id="([^"]*)"', shown) == [f"fn-{prefix}-1", f"fn-{prefix}-2"]
    assert f'href="#fnref-{prefix}-1-2"' in shown and "and<sup>3</sup> a lost" in shown
    assert shown.index("a lost one") < shown.index("<section") < shown.index("After the notes")
    assert "Seven to two" in shown.split(f'id="fn-{prefix}-1"')[1].split("</li>")[0]
    # Each note's text sanitized as the body is.
    assert "<script" not in shown and "alert" not in shown and "onclick" not in shown
    assert 'href="https://example.org/m"' in shown and GONE not in shown
    fragment_links_work(shown)


def test_the_page_has_every_fragment_its_links_lead_to(tmp_path):
    imported(tmp_path)
    article = Article.objects.get()
    page = Client().get(article.get_absolute_url()).content.decode()
    assert '<section class="footnotes">' in page
    fragment_links_work(page)


def test_references_with_no_block_get_their_notes_at_the_end(tmp_path):
    imported(tmp_path, body=f"<p>Claim{ref(A, 1)}.</p>\n\n<p>Last words.</p>")
    shown = Article.objects.get().body_html
    assert shown.index("Last words") < shown.index('<section class="footnotes">')
    assert "The March estimate, 3--5 --&gt; on." in shown
    assert "Seven to two" not in shown.split("<section")[0]
    fragment_links_work(shown)


@pytest.mark.parametrize("notes", ["{not json", '{"id": "x"}', '[{"id": 3, "content": "x"}]'])
def test_a_malformed_footnotes_meta_is_noted_and_the_post_imported(tmp_path, notes):
    output = imported(tmp_path, notes=notes)
    assert "post 1: its footnotes (postmeta footnotes) are not" in output
    shown = Article.objects.get().body_html
    assert "footnotes" not in shown and "a lost one" in shown and "After the notes" in shown
    assert 'href="#' not in shown  # the references stay as their plain numbers


def test_importing_again_changes_nothing_and_a_changed_note_is_taken(tmp_path):
    imported(tmp_path)
    article = Article.objects.get()
    again = imported(tmp_path)
    assert tally(again, "posts")[1:4] == [0, 0, 1]
    assert Article.objects.get().body_html == article.body_html
    changed = NOTES.replace("Seven to two", "Eight to one")
    assert tally(imported(tmp_path, notes=changed, name="g.xml"), "posts")[1:4] == [0, 1, 0]
    assert "Eight to one" in Article.objects.get().body_html


def test_saved_here_the_notes_stay_and_speak_the_sites_language(tmp_path):
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    imported(tmp_path)
    article = Article.objects.get()
    assert "<h2>הערות</h2>" in article.body_html and 'aria-label="הערה 1"' in article.body_html
    shown = article.body_html
    actions.save_article(article)
    article.refresh_from_db()
    assert article.body_html == shown
    site.language = "en"
    actions.save_site_settings(site)
    article.refresh_from_db()
    assert "<h2>Notes</h2>" in article.body_html


def test_the_export_gives_wordpress_the_notes_and_a_new_import_draws_them_again(tmp_path):
    imported(tmp_path)
    shown = Article.objects.get().body_html
    assert json.loads(exported_notes(tmp_path)) == json.loads(NOTES)
    Article.objects.all().delete()
    run_import("wxr", tmp_path / "out.xml", "--no-train")
    assert Article.objects.get().body_html == shown


def exported_notes(tmp_path) -> str:
    """The footnotes meta ``export wxr`` writes (to out.xml) for the one article."""
    exported = tmp_path / "out.xml"
    run_export("wxr", "--base-url", "https://news.example.org", "-o", str(exported))
    found = re.search(
        r"<wp:meta_key><!\[CDATA\[footnotes\]\]></wp:meta_key>\s*"
        r"<wp:meta_value><!\[CDATA\[(.*?)\]\]></wp:meta_value>",
        exported.read_text(),
        re.S,
    )
    assert found is not None
    return found[1]
