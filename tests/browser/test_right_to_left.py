"""A Hebrew site in a real browser: the page lays out right to left, readers' own
text keeps its direction, and axe finds nothing wrong."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, SiteSettings, Tag
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_discussion import select_text
from tests.conftest import post
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.browser


@pytest.fixture
def hebrew_discussion(article: Article) -> dict:
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    first = post(article, "שאלה טובה: מי משלם על הגשר?", author_name="דנה")
    answer = post(article, "העירייה, כמו תמיד.", author_name="Sam", parent=first)
    english = post(
        article, f"> [Sam wrote:](/c/{answer.pk})\n>\n> as always\n\nNot quite.", parent=answer
    )
    return {"article": article, "first": first, "answer": answer, "english": english}


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return {**found, "right": found["x"] + found["width"]}


def style(page: Page, selector: str, name: str) -> str:
    return page.locator(selector).evaluate(f"e => getComputedStyle(e).{name}")


def test_the_hebrew_article_page_lays_out_right_to_left(page: Page, hebrew_discussion):
    first, answer = hebrew_discussion["first"], hebrew_discussion["answer"]
    page.goto(hebrew_discussion["article"].get_absolute_url())
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert style(page, "body", "direction") == "rtl"

    # A reply is indented from the right, with its rule on the right.
    parent = box(page, f"#comment-{first.pk} > article")
    reply = box(page, f"#comment-{answer.pk} > article")
    assert reply["right"] < parent["right"] - 20
    assert abs(reply["x"] - parent["x"]) < 2
    children = f"#comment-{first.pk} > ol.children"
    assert style(page, children, "borderRightWidth") == "2px"
    assert style(page, children, "borderLeftWidth") == "0px"
    # The comment's number and the labels of the form stand at the right.
    number = box(page, f"#comment-{first.pk} > article .number")
    author = box(page, f"#comment-{first.pk} > article .author")
    assert number["x"] > author["x"]
    form = box(page, "#comments > .respond > form.comment-form")
    label = box(page, "label[for=id_author_name]")
    assert abs(label["right"] - form["right"]) < 2

    # A reader's English comment keeps its own direction: its quote's rule on the left.
    english = f"#comment-{hebrew_discussion['english'].pk}"
    assert style(page, f"{english} .comment-body", "direction") == "ltr"
    assert style(page, f"{english} .comment-body blockquote", "borderLeftWidth") == "3px"
    assert style(page, f"{english} .comment-body blockquote", "borderRightWidth") == "0px"
    assert_accessible(page)

    # The page script speaks Hebrew too.
    page.locator(f"#comment-{answer.pk} > article").get_by_role("link", name="להגיב").click()
    expect(page.locator("#comments h3#respond")).to_have_text("השארת תגובה ל-Sam")
    expect(page.get_by_role("button", name="ביטול התגובה")).to_be_visible()
    assert_accessible(page)


def test_a_hebrew_form_error_page_is_accessible(page: Page, hebrew_discussion):
    page.goto(hebrew_discussion["article"].get_absolute_url())
    page.get_by_role("button", name="שליחת תגובה").click()
    expect(page.locator("#id_body_error")).to_contain_text("יש להזין תוכן בשדה זה.")
    assert_accessible(page)


def test_the_hebrew_moderation_queue_lays_out_right_to_left(new_context, live_server, article):
    site = SiteSettings.load()
    site.language, site.comment_policy = "he", SiteSettings.CommentPolicy.HOLD
    actions.save_site_settings(site)
    held = post(article, "תגובה שממתינה לבדיקה.", author_name="דנה")
    client = Client()
    client.force_login(make_moderator("queue"))
    context = new_context()
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])  # fmt: skip
    page = context.new_page()
    page.goto("/moderation/")
    expect(page.locator("h1")).to_have_text("תור ניהול התגובות")
    # The undo button floats at the end of the line: on the left.
    undo, main = box(page, "#undo-form"), box(page, "main")
    assert undo["x"] - main["x"] < 2 and undo["right"] < main["right"] - 100
    # Each judgement's term stands at the right of its value.
    item = f"#q-{held.pk} .judgement"
    assert box(page, f"{item} dt >> nth=0")["x"] > box(page, f"{item} dd >> nth=0")["x"]
    expect(page.locator(f"#q-{held.pk} .decide")).to_contain_text("אישור")
    assert_accessible(page)


def test_an_english_storys_dateline_reads_right_to_left_on_a_hebrew_site(
    new_context, hebrew_discussion
):
    # The article fixture is English: its headline and body keep their direction, while
    # the words the site writes around them (dateline, source, tags) are the site's.
    article = hebrew_discussion["article"]
    article.tags.add(Tag.objects.create(name="Bridges", slug="bridges"))
    Article.objects.filter(pk=article.pk).update(summary="An English summary.")
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(article.get_absolute_url())
    assert style(page, ".story h1", "direction") == "ltr"
    assert style(page, ".story .body", "direction") == "ltr"
    for line in (".story .dateline", ".story .source", ".story .tags"):
        assert style(page, line, "direction") == "rtl", line
    # "By Dana Writer | 6 December 2016 | 3 comments »", read from the right.
    author = box(page, ".story .dateline a[rel=author]")
    date = box(page, ".story .dateline time")
    count = box(page, ".story .dateline a[href='#comments-heading']")
    assert author["x"] > date["right"] and date["x"] > count["right"]

    # A teaser's "date | byline | section | count" keeps its order too, however the
    # English names between the Hebrew words would otherwise run together.
    page.goto("/")
    line = f".teaser:has(a[href='{article.get_absolute_url()}']) .dateline"
    parts = [box(page, f"{line} > :nth-child({n})") for n in range(1, 5)]
    assert all(a["x"] > b["right"] for a, b in pairwise(parts)), parts


def test_an_editor_writes_each_language_in_its_own_direction_in_the_hebrew_admin(
    page: Page, hebrew_discussion
):
    from tests.browser.test_accessibility import sign_in_as_editor

    # Signed in through the form, which the Hebrew admin words in Hebrew: the site
    # turns Hebrew after.
    SiteSettings.objects.update(language="en")
    sign_in_as_editor(page, "/admin/")
    SiteSettings.objects.update(language="he")
    page.goto("/admin/newsroom/article/add/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_title").fill("Ferry timetable changes")
    page.locator("#id_body").fill("## What changes\n\n> Passengers are not happy.")
    page.locator("#id_summary").fill("לוח הזמנים של המעבורת משתנה.")
    # English Markdown reads from the left, its "##" and ">" at the start of the line;
    # Hebrew from the right, in the same form.
    assert style(page, "#id_title", "direction") == "ltr"
    assert style(page, "#id_body", "direction") == "ltr"
    assert style(page, "#id_summary", "direction") == "rtl"

    # The preview of the saved body, too.
    page.goto(f"/admin/newsroom/article/{hebrew_discussion['article'].pk}/change/")
    assert style(page, ".article-preview", "direction") == "ltr"


def test_an_english_headline_in_a_list_reads_from_the_left_on_a_hebrew_site(
    new_context, hebrew_discussion
):
    # As on the article's own page, and as the summary under it: a headline takes its
    # direction from its words, where it stood at the right in a Hebrew list.
    article = hebrew_discussion["article"]
    Article.objects.filter(pk=article.pk).update(summary="An English summary.")
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    teaser = f".teaser:has(h2 a[href='{article.get_absolute_url()}'])"
    for address in ("/", article.section.get_absolute_url(), "/search/?q=hello"):
        page.goto(address)
        for part in ("h2", ".summary"):
            assert style(page, f"{teaser} {part}", "direction") == "ltr", (address, part)
        # Both start at the teaser's left edge.
        left = box(page, teaser)["x"]
        assert abs(box(page, f"{teaser} h2 a")["x"] - left) < 2, address
        assert abs(box(page, f"{teaser} .summary")["x"] - left) < 2, address


def word_x(page: Page, selector: str, word: str) -> float:
    """Where ``word`` starts on screen, from the left, inside ``selector``."""
    select_text(page, selector, word)
    return page.evaluate("getSelection().getRangeAt(0).getBoundingClientRect().x")


def test_a_mixed_headline_keeps_its_order_in_a_hebrew_sentence(new_context, hebrew_discussion):
    # "Ferry timetable: שינויים" reads from the left, "שינויים" last, at its right. Set
    # into the page's Hebrew sentence ("על <title>:") without being set apart, its
    # runs were laid out from the right: "שינויים" came first, at the left.
    article, first = hebrew_discussion["article"], hebrew_discussion["first"]
    Article.objects.filter(pk=article.pk).update(title="Ferry timetable: שינויים")
    page = new_context(java_script_enabled=False).new_page()
    title = "main p a:has-text('Ferry timetable')"

    page.goto(f"/c/{first.pk}/reply")
    assert word_x(page, title, "שינויים") > word_x(page, title, "Ferry")
    page.goto(f"/moderation/report/{first.pk}")
    assert word_x(page, title, "שינויים") > word_x(page, title, "Ferry")

    page.goto(article.get_absolute_url())
    page.locator("#id_author_name").fill("דנה")
    page.locator("#id_body").fill("עוד שאלה.")
    with page.expect_navigation():
        page.locator(".comment-form button[type=submit]").click()
    own = page.url.rsplit("#comment-", 1)[1]
    page.goto(f"/c/{own}/edit")
    assert word_x(page, title, "שינויים") > word_x(page, title, "Ferry")


def test_the_heading_saying_whom_a_reply_answers_keeps_the_name_whole(
    page: Page, hebrew_discussion
):
    # The script wrote the name into the line as plain text: on a Hebrew page "Bob (UK)"
    # read "(Bob (UK", its brackets taken for the line's own. The page without scripts
    # isolates it (<bdi>); so does the script now.
    bob = post(hebrew_discussion["article"], "Hello from London.", author_name="Bob (UK)")
    page.goto(hebrew_discussion["article"].get_absolute_url())
    page.locator(f"#comment-{bob.pk} > article a.reply-link").click()

    line = page.locator(f"#comment-{bob.pk} #respond")
    expect(line.locator("bdi")).to_have_text("Bob (UK)")
    expect(line).to_contain_text("השארת תגובה ל")
    # The name is drawn as written: its closing bracket at its right end.
    name = line.locator("bdi").bounding_box()
    bracket = page.evaluate(
        """([id]) => {
          const bdi = document.querySelector(`#comment-${id} #respond bdi`);
          const range = document.createRange();
          range.setStart(bdi.firstChild, bdi.textContent.length - 1);
          range.setEnd(bdi.firstChild, bdi.textContent.length);
          const r = range.getBoundingClientRect();
          return r.right;
        }""",
        [bob.pk],
    )
    assert name is not None and abs(bracket - (name["x"] + name["width"])) < 1


def test_on_a_hebrew_phone_the_count_and_the_paragraph_list_keep_to_the_page(
    page: Page, hebrew_discussion
):
    # At 375 pixels "4 Comments »" broke as "4" at one end of the dateline and "Comments »"
    # on the next line; the list of paragraphs to quote was as wide as its longest
    # paragraph's first words, and widened the page.
    Article.objects.filter(pk=hebrew_discussion["article"].pk).update(comment_count=500)
    article = Article.objects.get(pk=hebrew_discussion["article"].pk)
    article.title = "Council votes to close Quay Street to cars on Saturdays"
    article.body = (
        "After four hours of debate, councillors backed a year-long trial that will turn "
        "the city's oldest shopping street over to people on foot every Saturday.\n\n"
        "Traders are split."
    )
    actions.save_article(article)
    page.set_viewport_size({"width": 375, "height": 800})
    for address in ("/", article.get_absolute_url()):
        page.goto(address)
        count = page.locator(".dateline > :last-child").first
        expect(count).to_contain_text("500")
        lines = "e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size"
        assert count.evaluate(lines) == 1, address  # on one line

    page.get_by_role("button", name="ציטוט הקטע המסומן מהכתבה").click()
    choice = page.get_by_label("פסקה לציטוט")
    expect(choice).to_be_focused()
    # In the article's direction, English here, on the Hebrew page.
    expect(choice).to_have_attribute("dir", "ltr")
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width
    assert_accessible(page)
