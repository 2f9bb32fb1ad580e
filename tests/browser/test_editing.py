"""The editor's admin in a real browser: the article list at a laptop's width, and the
slug the form writes from a title."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from broadsheet.moderation import actions as moderation
from broadsheet.newsroom import actions
from broadsheet.newsroom.apps import EDITORS
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings
from tests.browser.fixtures import signed_in_as
from tests.browser.test_accessibility import sign_in_as_editor
from tests.conftest import make_article, post

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_article_list_fits_beside_the_menu_and_filters_at_1280_pixels(
    new_context, db, language
):
    section = Section.objects.create(name="City & Council", slug="city")
    author = Author.objects.create(name="Miriam Achterberg-Lindqvist", slug="miriam")
    story = make_article(
        title="Council votes to close Quay Street to cars on Saturdays",
        section=section,
        author=author,
    )
    post(story, "About time.")
    make_article(title="מועצת העיר מצביעה על סגירת רחוב הנמל", section=section, author=author)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_as_editor(page, "/admin/")
    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)

    page.goto("/admin/newsroom/article/")
    # The menu is open, as an editor first meets it.
    expect(page.locator("#nav-sidebar")).to_be_visible()
    results = page.locator("#changelist-form .results")
    widths = results.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert widths[0] <= widths[1], widths
    # Every column is on the screen: the page's link and the comments with them.
    row = page.locator("#result_list tbody tr", has_text="Quay Street")
    for cell in (row.locator("td.field-state a"), row.locator("td.field-comments")):
        found = cell.bounding_box()
        assert found is not None and found["x"] + found["width"] <= 1280
    assert row.locator("td.field-comments").inner_text().split()[0] == "1"


# Where each cell of the list's rows is, and the label it is shown with on a phone.
CELLS = """() => [...document.querySelectorAll('#result_list tbody tr > *')].map(cell => {
  const box = cell.getBoundingClientRect();
  return {left: box.left, right: box.right, label: getComputedStyle(cell, '::before').content,
          text: cell.innerText.trim()};
})"""


def _fits(page: Page, width: int) -> list[dict]:
    """The list on the page takes no sideways scroll, of the page or of its own box, and
    every cell of it is on the screen; its cells."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("#changelist-form .results").evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert box[0] <= box[1], box
    cells = page.evaluate(CELLS)
    assert cells
    for cell in cells:
        assert cell["left"] >= 0 and cell["right"] <= width, cell
    return cells


@pytest.mark.parametrize("language", ["en", "he"])
def test_an_editor_reads_the_article_list_on_a_phone_without_scrolling_sideways(
    new_context, live_server, db, language
):
    section = Section.objects.create(name="City & Council", slug="city")
    author = Author.objects.create(name="Miriam Achterberg-Lindqvist", slug="miriam")
    for n in range(5):
        story = make_article(
            title=f"Council votes to close Quay Street to cars, part {n}",
            section=section,
            author=author,
        )
    post(story, "About time.")
    make_article(title="Harbour-authority-announces-a-very-long-unbroken-headline-word")
    make_article(title="מועצת העיר מצביעה על סגירת רחוב הנמל", section=section, author=author)
    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)
    editor = get_user_model().objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    page = signed_in_as(new_context(viewport={"width": 375, "height": 800}), live_server, editor)

    page.goto("/admin/newsroom/article/")
    cells = _fits(page, 375)
    # Each row a card, each line named by its column, the comments' count included.
    comments = "Comments" if language == "en" else "תגובות"
    counted = [c for c in cells if c["label"] == f'"{comments}: "']
    assert len(counted) == 7
    assert counted[2]["text"].split()[0] == "1", counted
    # Sorting is still at hand: the headings wrap above the cards.
    expect(page.locator("#result_list thead th.column-published_at a").first).to_be_in_viewport()


@pytest.mark.parametrize("width", [375, 800])
@pytest.mark.parametrize(
    "address",
    ["/admin/discussion/comment/", "/admin/moderation/auditentry/", "/admin/auth/user/"],
)
def test_the_other_lists_fit_a_phone_and_a_tablet_beside_the_menu(
    new_context, live_server, db, address, width
):
    story = make_article(title="Council votes to close Quay Street to cars on Saturdays")
    comment = post(story, "About time. " * 20, author_email="reader@example.org")
    moderation.moderate(comment, "reject", actor=None, note="Off topic.")
    editor = get_user_model().objects.create_superuser("chief", "chief@example.org")
    page = signed_in_as(new_context(viewport={"width": width, "height": 800}), live_server, editor)

    page.goto(address)
    _fits(page, width)


@pytest.mark.parametrize(
    ("model", "box", "title"),
    [("article", "title", "Cafe\u0301 society"), ("tag", "name", "Cafe\u0301 society")],
)
def test_a_decomposed_accent_makes_the_same_slug_as_a_composed_one(page: Page, model, box, title):
    sign_in_as_editor(page, f"/admin/newsroom/{model}/add/")
    page.locator(f"#id_{box}").press_sequentially(title)
    expect(page.locator("#id_slug")).to_have_value("caf\u00e9-society")


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("he", 375)], ids=["en", "he"])
def test_an_editor_changes_a_wordpress_note_in_its_own_box(new_context, tmp_path, language, width):
    from tests.browser.test_accessibility import DJANGOS, STRICT, assert_accessible
    from tests.newsroom.test_wordpress_notes import imported

    imported(tmp_path)
    article = Article.objects.get()
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in_as_editor(page, "/admin/")
    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)
    page.goto(f"/admin/newsroom/article/{article.pk}/change/")
    name = "Note 2" if language == "en" else "הערה 2"
    box = page.get_by_role("textbox", name=name)
    expect(box).to_have_value("The March estimate, 3--5 million.")
    expect(page.locator("#id_body")).not_to_have_value(re.compile("broadsheetNotes"))
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, STRICT, djangos=DJANGOS)
    box.fill("The May estimate: 4 million 🏗️, ארבעה מיליון.")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(article.get_absolute_url())
    expect(page.locator("section.footnotes li").nth(1)).to_contain_text(
        "The May estimate: 4 million 🏗️, ארבעה מיליון."
    )


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("he", 375)], ids=["en", "he"])
def test_an_editor_previews_a_live_storys_changes_in_a_tab_of_its_own(new_context, language, width):
    from tests.browser.test_accessibility import STRICT, assert_accessible

    article = make_article(title="Night ferry", body="The ferry leaves at 23:10.")
    context = new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_as_editor(page, "/admin/")
    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)
    page.goto(f"/admin/newsroom/article/{article.pk}/change/")
    page.locator("#id_body").fill("The ferry leaves at 23:40 ⛴️, שעה מאוחרת.")
    with context.expect_page() as opened:
        page.locator("input[name=_preview]").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".story .body")).to_have_text("The ferry leaves at 23:40 ⛴️, שעה מאוחרת.")
    expect(preview.locator(".preview-note")).to_be_visible()
    assert preview.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert_accessible(preview, STRICT)
    # The form is still there, as typed, and nothing was saved.
    expect(page.locator("#id_body")).to_have_value("The ferry leaves at 23:40 ⛴️, שעה מאוחרת.")
    article.refresh_from_db()
    assert article.body == "The ferry leaves at 23:10."
    # Drawn after the saving buttons, before Delete, in the reading direction.
    boxes = [
        page.locator(chosen).bounding_box()
        for chosen in ("input[name=_continue]", "input[name=_preview]", "a.deletelink")
    ]
    reading = [(round(b["y"]), b["x"] if language == "en" else -b["x"]) for b in boxes if b]
    assert len(reading) == 3 and reading == sorted(reading)


def test_the_forms_preview_of_the_saved_body_draws_its_headings_as_an_articles(page: Page):
    article = make_article(
        body="Text.[^1]\n\n## The vote\n\n| Ward | Votes |\n|---|---:|\n| North | 7 |\n\n"
        "[^1]: A note."
    )
    sign_in_as_editor(page, f"/admin/newsroom/article/{article.pk}/change/")
    page.locator("fieldset.collapse summary").click()
    looks = page.evaluate(
        """() => [...document.querySelectorAll('.article-preview h2, .article-preview th')]
            .map(e => { const s = getComputedStyle(e);
                        return [e.textContent, s.backgroundColor, s.textTransform]; })"""
    )
    # Not the bars (coloured, in capitals) that head the form's parts and lists.
    assert [text for text, _, _ in looks] == ["The vote", "Ward", "Votes", "Notes"]
    for text, background, capitals in looks:
        assert capitals == "none"
        assert background == "rgba(0, 0, 0, 0)" or text in ("Ward", "Votes")


def test_two_editors_in_two_browsers_lose_nothing_on_a_phone_in_hebrew(new_context, live_server):
    """Two real sessions: the later save is refused, the box saying so fits a phone
    and passes axe in a Hebrew admin, and saving again keeps both editors' changes."""
    from tests.browser.test_accessibility import DJANGOS, STRICT, assert_accessible

    users = get_user_model().objects
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    body = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."
    article = make_article(title="Night ferry", body=body)
    change = f"/admin/newsroom/article/{article.pk}/change/"
    pages = []
    for name in ("dana", "lev"):
        context = new_context(viewport={"width": 375, "height": 800})
        user = users.create_superuser(name, f"{name}@example.org", "pw-long-1234")
        page = signed_in_as(context, live_server, user)
        page.goto(change)
        pages.append(page)
    dana, lev = pages
    dana.locator("#id_body").fill(body.replace("Second", "2nd"))
    dana.locator("#id_summary").fill("שלום")
    with dana.expect_navigation():
        dana.locator("input[name=_save]").click()
    lev.locator("#id_title").fill("Night ferry cancelled")
    lev.locator("#id_summary").fill("Lev's summary")
    with lev.expect_navigation():
        lev.locator("input[name=_save]").click()

    panel = lev.locator(".edit-conflict")
    expect(panel).to_contain_text("dana")
    assert lev.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert_accessible(lev, STRICT, djangos=DJANGOS)
    expect(lev.locator("#id_title")).to_have_value("Night ferry cancelled")
    expect(lev.locator("#id_body")).to_have_value(body.replace("Second", "2nd"))
    with lev.expect_navigation():
        lev.locator("input[name=_save]").click()
    article.refresh_from_db()
    assert (article.title, article.summary) == ("Night ferry cancelled", "Lev's summary")
    assert article.body == body.replace("Second", "2nd")
