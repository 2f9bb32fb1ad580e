"""Footnotes in an article's Markdown: numbered references leading to notes listed at
the end and back, with ids of the article's own, in feeds, exports and search too."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom import actions
from broadsheet.newsroom.indexing import plain_text
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import make_article, post
from tests.feeds.conftest import read_feed
from tests.interchange.conftest import run_export, run_import
from tests.search.conftest import found

pytestmark = pytest.mark.django_db

NOTED = """The council voted for the pier.[^vote] It will cost more.[^cost] As said,[^vote] twice.

[^vote]: Seven to two, on [the record](https://example.org/minutes).
[^cost]: The estimate of March.

    A second paragraph of the same note.
[^aside]: A note nothing refers to.

Not a note: [^missing].
"""


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', html)


def links(html: str) -> list[str]:
    return re.findall(r'\shref="([^"]*#[^"]*)"', html)


def test_each_reference_leads_to_its_note_and_each_note_back():
    article = make_article(slug="pier-vote", body=NOTED)
    html = article.body_html
    refs = re.findall(
        r'<sup><a href="#(fn-\w+-\d)" id="(fnref-\w+-[\d-]+)"[^>]*>(\d)</a></sup>', html
    )
    assert [(note[-1], number) for note, _, number in refs] == [("1", "1"), ("2", "2"), ("1", "1")]
    notes = re.findall(r'<li id="(fn-[^"]+)">', html)
    assert [note for note, _, _ in refs] == [notes[0], notes[1], notes[0]]
    backs = re.findall(r'<a href="#(fnref-[^"]+)" class="footnote-backref"', html)
    assert sorted(backs) == sorted(ref for _, ref, _ in refs)
    assert len(set(ids(html))) == len(ids(html)) == 6  # 3 references, 3 notes
    assert '<section class="footnotes">\n<h2>Notes</h2>' in html
    # Every word is shown: the unreferenced note is listed (with no way back), the
    # reference to a note never written stays as typed, a note's paragraphs are kept.
    assert "A note nothing refers to." in html and "[^missing]" in html
    assert "A second paragraph of the same note." in html
    assert "[^vote]" not in html


def test_two_articles_notes_never_share_an_id_nor_take_one_the_page_has():
    first = make_article(slug="first", body=NOTED)
    second = make_article(slug="second", body=NOTED)
    assert len(ids(first.body_html)) == len(ids(second.body_html)) == 6
    assert not set(ids(first.body_html)) & set(ids(second.body_html))
    page = Client().get(first.get_absolute_url()).content.decode()
    assert len(set(ids(page))) == len(ids(page))
    for target in {link.split("#")[1] for link in links(first.body_html)}:
        assert f'id="{target}"' in page


def test_saving_again_keeps_the_ids_so_links_to_a_note_still_land():
    article = make_article(slug="kept", body=NOTED)
    before = ids(article.body_html)
    article.title = "Retitled"
    actions.save_article(article)
    assert len(before) == 6 and ids(article.body_html) == before


def test_the_sanitizer_keeps_only_what_notes_need():
    body = (
        '<p><a id="comments" class="footnote-ref evil" href="#respond" aria-label="x">a</a>'
        '<sup><a id="fnref-0123abcd-1" href="#fn-0123abcd-1" class="footnote-ref">1</a></sup>'
        '<span id="comment-3">b</span></p><section class="footnotes other" id="fn-0123abcd-9">'
        '<ol><li id="comment-4">c</li><li id="fn-0123abcd-1" class="footnote-item">d'
        ' <a href="#fnref-0123abcd-1" class="footnote-backref">↑</a></li></ol></section>'
        '<p id="fn-0123abcd-2">e</p>'
    )
    article = make_article(body=body, body_format=Article.BodyFormat.HTML)
    html = article.body_html
    assert ids(html) == ["fnref-0123abcd-1", "fn-0123abcd-1"]
    assert re.findall(r'class="([^"]*)"', html) == [
        "footnote-ref", "footnote-ref", "footnotes", "footnote-backref"
    ]  # fmt: skip
    assert "<section" in html and "comment-" not in html


def test_an_article_has_notes_and_a_comment_keeps_its_markdown_without_them():
    article = make_article(body="Source?[^1]\n\n[^1]: My uncle.")
    comment = post(article, "Source?[^1]\n\n[^1]: My uncle.")
    assert "[^1]" not in article.body_html and 'class="footnotes"' in article.body_html
    assert "[^1]" in comment.body_html and "id=" not in comment.body_html


def test_a_feed_carries_the_notes_with_links_to_the_article_page():
    article = make_article(slug="fed", body=NOTED)
    make_article(slug="other", body=NOTED)
    html = read_feed("/feed/").text("a:entry[a:title='Article 1']/a:content")
    page = f"http://testserver{article.get_absolute_url()}"
    fed = links(html)
    assert len(fed) == 6 and all(link.startswith(page + "#fn") for link in fed)
    assert {link.split("#")[1] for link in fed} <= set(ids(html)) == set(ids(article.body_html))


def test_the_notes_speak_the_sites_language_and_follow_a_change_of_it():
    article = make_article(slug="bilingual", body=NOTED)
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    article.refresh_from_db()
    assert "<h2>הערות</h2>" in article.body_html
    assert 'aria-label="הערה 1"' in article.body_html
    assert 'aria-label="חזרה אל הטקסט"' in article.body_html
    hebrew = make_article(slug="hebrew", body="טענה.[^1]\n\n[^1]: מקור.")
    assert "<h2>הערות</h2>" in hebrew.body_html
    site.language = "en"
    actions.save_site_settings(site)
    article.refresh_from_db()
    assert "<h2>Notes</h2>" in article.body_html


def test_search_reads_the_words_not_the_notes_marks():
    article = make_article(slug="searched", body=NOTED)
    text = plain_text(article.body_html)
    assert "the pier. It will cost more. As said, twice." in text
    assert "↑" not in text and "Seven to two" in text


def test_the_notes_survive_a_trip_through_wxr(tmp_path):
    article = make_article(slug="exported", body=NOTED)
    text = run_export("wxr", "--base-url", "https://new.example.com")
    Article.objects.all().delete()
    path = tmp_path / "site.xml"
    path.write_text(text, encoding="utf-8")
    run_import("wxr", path, "--no-train")
    restored = Article.objects.get(slug="exported")
    assert restored.body_html.strip() == article.body_html.strip()


def test_the_notes_survive_a_backup_and_its_restore(tmp_path):
    article = make_article(slug="backed-up", body=NOTED)
    path = tmp_path / "backup.json"
    path.write_text(run_export("json"), encoding="utf-8")
    Article.objects.all().delete()
    run_import("json", path, "--no-train")
    restored = Article.objects.get(slug="backed-up")
    assert restored.body == NOTED and restored.body_html == article.body_html
    assert 'class="footnotes"' in restored.body_html


def test_the_upgrade_renders_again_the_bodies_written_with_notes_or_struck_text():
    noted = make_article(slug="old-notes", body=NOTED)
    plain = make_article(slug="plain", body="No notes, only [^brackets].")
    wordpress = make_article(body="<p>[^1]</p>", body_format=Article.BodyFormat.HTML)
    struck = make_article(slug="struck", body="~~Tuesday~~ Wednesday")
    rendered = noted.body_html
    earlier = timezone.now() - timedelta(days=1)
    # As the version before rendered them: the notes as typed, the strike dropped.
    Article.objects.filter(pk=noted.pk).update(body_html="<p>[^vote]</p>", changed_at=earlier)
    Article.objects.filter(pk=struck.pk).update(
        body_html="<p>Tuesday Wednesday</p>\n", changed_at=earlier
    )
    Article.objects.filter(pk__in=[plain.pk, wordpress.pk]).update(changed_at=earlier)

    migration = importlib.import_module("broadsheet.newsroom.migrations.0016_rerender_footnotes")
    migration.rerender(apps, SimpleNamespace(connection=connection))

    noted.refresh_from_db()
    assert noted.body_html == rendered and noted.changed_at > earlier
    struck.refresh_from_db()
    assert struck.body_html == "<p><s>Tuesday</s> Wednesday</p>\n" and struck.changed_at > earlier
    assert Article.objects.filter(changed_at=earlier).count() == 2


def test_a_second_note_of_the_same_label_is_listed_too():
    article = make_article(body="Claim.[^1]\n\n[^1]: The first.\n\n[^1]: The second.")
    html = article.body_html
    assert "The first." in html and "The second." in html
    first = re.search(r'<li id="(fn-[^"]+)"><p>The first\.', html)
    assert first is not None and f'href="#{first[1]}"' in html  # the reference's note
    assert html.count('class="footnote-backref"') == 1 and len(ids(html)) == 3


def test_the_admins_preview_of_the_saved_body_shows_the_notes(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    article = make_article(slug="previewed", body=NOTED, status=Article.Status.DRAFT)
    page = client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    preview = page.split('<div class="article-preview" dir="auto">', 1)[1]
    assert preview.startswith(article.body_html) and 'class="footnotes"' in article.body_html
    assert len(set(ids(page))) == len(ids(page))


def test_a_note_written_indented_under_another_keeps_both_notes_words():
    # The next note indented as the previous one's second paragraph would be: it is
    # read as inside it, and the outer note's words were dropped.
    article = make_article(
        body="Claim.[^a] Another.[^b]\n\n[^a]: The first.\n\n    [^b]: The second.\n"
        "        [^c]: The third, deeper.\n\nEnd.[^c]"
    )
    html = article.body_html
    for words in ("The first.", "The second.", "The third, deeper."):
        assert words in html
    notes = re.findall(r'<li id="(fn-[^"]+)"><p>([^<]*)', html)
    assert [words.strip() for _, words in notes] == [
        "The first.",
        "The second.",
        "The third, deeper.",
    ]
    assert [f"#{note}" for note, _ in notes] == re.findall(r'href="(#fn-[^"]+)"', html)
    assert len(set(ids(html))) == len(ids(html)) == 6


def test_the_upgrade_strikes_again_the_struck_text_of_an_imported_html_body():
    earlier = timezone.now() - timedelta(days=1)
    body = "<p>It opens on <s>Tuesday</S> <S class='x'>Thursday</s> Wednesday.</p>"
    struck = make_article(slug="struck-html", body=body, body_format=Article.BodyFormat.HTML)
    spanned = make_article(slug="spanned", body="<p><span>Same</span> <strong>as</strong></p>")
    rendered = struck.body_html
    assert rendered.count("<s>") == 2
    # As the version before rendered it: the strike dropped, the words kept.
    Article.objects.filter(pk=struck.pk).update(
        body_html="<p>It opens on Tuesday Thursday Wednesday.</p>", changed_at=earlier
    )
    Article.objects.filter(pk=spanned.pk).update(changed_at=earlier)

    migration = importlib.import_module("broadsheet.newsroom.migrations.0016_rerender_footnotes")
    migration.rerender(apps, SimpleNamespace(connection=connection))

    struck.refresh_from_db()
    assert struck.body_html == rendered and struck.changed_at > earlier
    spanned.refresh_from_db()
    assert spanned.changed_at == earlier


def test_search_finds_no_article_by_its_notes_heading():
    # The heading is the site's word ("Notes"), not the article's: every article with
    # notes was found by it.
    make_article(slug="noted", title="Pier", body="It costs more.[^1]\n\n[^1]: The estimate.")
    make_article(slug="said", title="Minutes", body="The notes of the meeting are out.")
    assert "Notes" not in plain_text(Article.objects.get(slug="noted").body_html)
    assert found(Client(), "notes") == ["Minutes"]
    assert found(Client(), "estimate") == ["Pier"]  # the notes' own words are read


def test_a_reference_in_an_images_description_is_drawn_after_the_image():
    # A description is plain text: the reference was lost, its note's arrow led nowhere.
    article = make_article(
        body="![The pier in 1910[^old]](https://images.example/pier.png)\n\n[^old]: A postcard."
    )
    html = article.body_html
    assert '<img src="https://images.example/pier.png" alt="The pier in 1910"><sup><a ' in html
    targets = {link.removeprefix("#") for link in links(html)}
    assert targets == set(ids(html)) and len(targets) == 2
