"""A reader's discussion, driven through a real browser: post, reply, quote, fail, wait."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from broadsheet.discussion.actions import reserve_ids
from broadsheet.discussion.models import Comment
from broadsheet.moderation.checks import STAFF_NAME_TAKEN
from broadsheet.newsroom.actions import save_article
from broadsheet.newsroom.models import Article, SiteSettings
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import make_article, post
from tests.interchange.conftest import run_import
from tests.interchange.test_comment_ids import wxr
from tests.interchange.test_disqus_import import _disqus, _thread
from tests.interchange.test_disqus_import import _post as _disqus_post

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/broadsheet-article.png"


def comment_form(page: Page) -> Locator:
    return page.locator("form.comment-form")


def fill_comment(form: Locator, body: str, *, name: str = "Jane Doe", email: str = "") -> None:
    form.get_by_label("Name", exact=True).fill(name)
    if email:
        form.get_by_label("E-mail", exact=True).fill(email)
    form.get_by_label("Comment", exact=True).fill(body)


def submit(page: Page, form: Locator) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name="Post Comment").click()


def posted_id(page: Page) -> int:
    """The id of the comment the page was redirected to (its #comment-N anchor)."""
    match = re.search(r"#comment-(\d+)$", page.url)
    assert match, f"not redirected to a comment's anchor: {page.url}"
    return int(match.group(1))


def post_through_page(page: Page, article: Article, body: str, **author) -> int:
    page.goto(article.get_absolute_url())
    form = comment_form(page)
    fill_comment(form, body, **author)
    submit(page, form)
    return posted_id(page)


def test_posted_comment_appears_at_its_anchor_with_its_number(page: Page, article: Article):
    post(article, "Someone was here first.", author_name="Early Bird")

    pk = post_through_page(
        page, article, "A first *thought* on this.", name="Jane Doe", email="jane@example.org"
    )

    comment = page.locator(f"#comment-{pk}")
    expect(page.locator(":target")).to_have_id(f"comment-{pk}")
    expect(comment).to_be_in_viewport()
    expect(comment.locator(".number")).to_have_text("2.")
    expect(comment.locator(".author")).to_have_text("Jane Doe")
    expect(comment.locator(".comment-body em")).to_have_text("thought")
    expect(page.locator("#comments-heading")).to_have_text("2 Comments")


def test_threaded_discussion_reads_like_a_news_page(page: Page, article: Article):
    article.body = (
        "The council voted on Tuesday to reopen the old harbour bridge to cyclists.\n\n"
        "Residents had campaigned for two years. *The vote was close*, seven to six."
    )
    save_article(article)
    first = post(article, "About time. I cross it every day.", author_name="Sam Cyclist")
    answer = post(article, "Hardly a mandate.", author_name="Jane Doe", parent=first)
    quote = f"> [Jane Doe wrote:](/c/{answer.pk})\n>\n> hardly a mandate\n\nA win is a win."
    post(article, quote, author_name="Ali", parent=answer)
    post(article, "Who pays for the repairs?", author_name="Taxpayer")
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(article.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello world")
    expect(page.locator(".comment-list > li > article .number")).to_have_text(["1.", "2."])
    expect(
        page.locator(f"#comment-{first.pk} > ol.children > li#comment-{answer.pk}")
    ).to_be_visible()
    expect(page.locator(f"#comment-{answer.pk} > ol.children blockquote a")).to_have_attribute(
        "href", f"/c/{answer.pk}"
    )
    expect(page.locator(".dateline a[href='#comments-heading']")).to_have_text("4 Comments »")
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_reply_with_javascript_moves_the_form_and_nests_the_reply(page: Page, article: Article):
    parent = post(article, "Is this right?", author_name="Asker")
    page.goto(article.get_absolute_url())

    page.locator(f"#comment-{parent.pk} > article").get_by_role("link", name="Reply").click()

    # No page load: the one form moved under the comment and now answers it.
    expect(page).to_have_url(re.compile(r"/article/hello-world/$"))
    form = page.locator(f"#comment-{parent.pk} > .respond > form.comment-form")
    expect(form).to_be_visible()
    expect(form.locator("input[name=parent_id]")).to_have_value(str(parent.pk))
    expect(form.get_by_label("Comment", exact=True)).to_be_focused()
    fill_comment(form, "Yes, it is.", name="Answerer")
    submit(page, form)

    pk = posted_id(page)
    reply = page.locator(f"#comment-{parent.pk} > ol.children > li#comment-{pk}")
    expect(reply).to_be_visible()
    expect(reply.locator(".comment-body")).to_have_text("Yes, it is.")
    assert Comment.objects.get(pk=pk).parent_id == parent.pk


def test_cancel_reply_puts_the_form_back_under_its_heading(page: Page, article: Article):
    parent = post(article, "Hello.", author_name="Asker")
    page.goto(article.get_absolute_url())
    reply = page.locator(f"#comment-{parent.pk} > article").get_by_role("link", name="Reply")
    reply.click()
    comment_form(page).get_by_label("Comment", exact=True).fill("Kept.")

    page.get_by_role("button", name="Cancel reply").click()

    top = page.locator("#comments > .respond")
    expect(top.get_by_role("heading", level=2)).to_have_text("Leave a Reply")
    expect(top.locator("h2#respond")).to_have_count(1)
    expect(top.locator("form.comment-form")).to_be_visible()
    expect(page.locator("input[name=parent_id]")).to_have_value("")
    expect(page.get_by_role("button", name="Cancel reply")).to_be_hidden()
    expect(reply).to_be_focused()
    # What was typed stays; the box no longer says it answers anyone.
    box = top.get_by_label("Comment", exact=True)
    expect(box).to_have_value("Kept.")
    expect(box).not_to_have_accessible_description(re.compile("Leave a Reply"))


def test_the_form_goes_under_a_comment_with_its_heading_saying_whom_it_answers(
    page: Page, article: Article
):
    # The form went under the comment without a heading ("Leave a Reply" was hidden at
    # the top); WordPress moves its heading with it, as "Leave a Reply to Jane", and so
    # the note that comments are held, which holds for replies too.
    parent = post(article, "Hello.", author_name="Asker")
    article.comment_policy = Article.CommentPolicy.HOLD
    article.save(update_fields=["comment_policy"])
    page.goto(article.get_absolute_url())
    expect(page.get_by_role("button", name="Cancel reply")).to_be_hidden()
    page.locator(f"#comment-{parent.pk} > article").get_by_role("link", name="Reply").click()

    moved = page.locator(f"#comment-{parent.pk} > .respond")
    # A section of the discussion ("1 Comment", an h2), one level down.
    heading = moved.get_by_role("heading", level=3, name="Leave a Reply to Asker")
    expect(heading).to_be_visible()
    expect(heading).to_have_id("respond")
    cancel = moved.locator(".respond-head").get_by_role("button", name="Cancel reply")
    expect(cancel).to_be_visible()
    expect(moved.locator(".respond-head + #held-note + form.comment-form")).to_be_visible()
    expect(page.locator("#comments > .respond")).to_have_count(0)
    # The focus is in the comment box, which says whom it answers (a screen reader reads
    # the box, not the heading the focus went past).
    box = moved.get_by_label("Comment", exact=True)
    expect(box).to_be_focused()
    expect(box).to_have_accessible_description(re.compile(r"^Leave a Reply to Asker "))
    page.get_by_role("button", name="Cancel reply").click()
    expect(page.locator("#comments > .respond > .respond-head + #held-note + form")).to_be_visible()


def test_quote_inserts_a_linked_block_quote(page: Page, article: Article):
    quoted = post(article, "I will reverse myself here.\nThe data changed.", author_name="Jane")
    post(article, "Unrelated.", author_name="Other")
    page.goto(article.get_absolute_url())

    page.locator(f"#comment-{quoted.pk} > article").get_by_role("link", name="Quote").click()

    textarea = comment_form(page).get_by_label("Comment", exact=True)
    expect(textarea).to_be_focused()
    text = textarea.input_value()
    assert text.startswith(f"> [Jane wrote:](/c/{quoted.pk})\n>\n> I will reverse myself here.\n")
    textarea.press("End")
    textarea.press_sequentially("Good of you to say so.")
    form = comment_form(page)
    form.get_by_label("Name", exact=True).fill("Quoter")
    submit(page, form)

    pk = posted_id(page)
    body = page.locator(f"#comment-{pk} .comment-body")
    link = body.locator(f"blockquote a[href='/c/{quoted.pk}']")
    expect(link).to_have_text("Jane wrote:")
    expect(body.locator("blockquote")).to_contain_text("The data changed.")
    expect(body.locator("blockquote + p")).to_have_text("Good of you to say so.")

    # The link leads back to the quoted comment.
    with page.expect_navigation():
        link.click()
    expect(page).to_have_url(re.compile(rf"#comment-{quoted.pk}$"))


def test_a_quoted_name_is_written_so_that_it_stays_a_name(page: Page, article: Article):
    quoted = post(article, "Log in here.", author_name="Dana\\](https://evil.example/login)")
    page.goto(article.get_absolute_url())
    page.locator(f"#comment-{quoted.pk} > article").get_by_role("link", name="Quote").click()
    text = comment_form(page).get_by_label("Comment", exact=True).input_value()
    assert text.startswith(
        f"> [Dana\\\\\\]\\(https\\:\\/\\/evil\\.example\\/login\\) wrote:](/c/{quoted.pk})\n"
    )


def test_reply_without_javascript_uses_its_own_page(new_context, article: Article):
    page = new_context(java_script_enabled=False).new_page()
    parent = post(article, "Works without scripts?", author_name="Asker")
    page.goto(article.get_absolute_url())

    with page.expect_navigation():
        page.locator(f"#comment-{parent.pk} > article").get_by_role("link", name="Reply").click()

    expect(page).to_have_url(re.compile(rf"/c/{parent.pk}/reply$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Asker")
    form = comment_form(page)
    expect(form.locator("input[name=parent_id]")).to_have_value(str(parent.pk))
    fill_comment(form, "It does.", name="Answerer")
    submit(page, form)

    pk = posted_id(page)
    expect(page).to_have_url(re.compile(rf"/article/hello-world/#comment-{pk}$"))
    expect(page.locator(f"#comment-{parent.pk} > ol.children > li#comment-{pk}")).to_be_visible()


def test_quote_without_javascript_prefills_the_quote(new_context, article: Article):
    page = new_context(java_script_enabled=False).new_page()
    quoted = post(article, "Quote me.", author_name="Jane")
    page.goto(article.get_absolute_url())

    with page.expect_navigation():
        page.locator(f"#comment-{quoted.pk} > article").get_by_role("link", name="Quote").click()

    form = comment_form(page)
    textarea = form.get_by_label("Comment", exact=True)
    assert textarea.input_value().startswith(f"> [Jane wrote:](/c/{quoted.pk})\n>\n> Quote me.")
    form.get_by_label("Name", exact=True).fill("Quoter")
    submit(page, form)

    pk = posted_id(page)
    expect(page.locator(f"#comment-{pk} blockquote a[href='/c/{quoted.pk}']")).to_be_visible()


MIXED = "שלום עולם! مرحبا بالعالم 👋🏽 👩‍👩‍👧 🇮🇱 café naïve (e\u0301)"
HEBREW = "זה תגובה בעברית בלבד, עם ניקוד: שָׁלוֹם"


def test_every_character_survives_the_round_trip(page: Page, article: Article):
    pk = post_through_page(page, article, MIXED, name="דנה الكاتب 🙂")

    stored = Comment.objects.get(pk=pk)
    assert stored.body == MIXED
    assert stored.author_name == "דנה الكاتب 🙂"
    comment = page.locator(f"#comment-{pk}")
    body = comment.locator(".comment-body")
    assert body.inner_text() == MIXED
    assert comment.locator(".author bdi").inner_text() == "דנה الكاتب 🙂"
    expect(body).to_have_attribute("dir", "auto")


def test_hebrew_comment_renders_right_to_left(page: Page, article: Article):
    pk = post_through_page(page, article, HEBREW, name="דנה")

    body = page.locator(f"#comment-{pk} .comment-body")
    assert body.inner_text() == HEBREW
    expect(body).to_have_attribute("dir", "auto")
    assert body.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # An English comment next to it stays left-to-right.
    english = post(article, "Plain English.")
    page.reload()
    english_body = page.locator(f"#comment-{english.pk} .comment-body")
    assert english_body.evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_empty_comment_shows_the_error_by_the_field_and_keeps_the_rest(
    page: Page, article: Article
):
    page.goto(article.get_absolute_url())
    form = comment_form(page)
    fill_comment(form, "   ", name="Jane Doe", email="jane@example.org")
    form.get_by_label("Website", exact=True).fill("https://jane.example.org/")
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Post Comment").click()

    assert navigation.value.status == 400
    form = comment_form(page)
    textarea = form.get_by_label("Comment", exact=True)
    field = form.locator(".field.has-error")
    expect(field).to_have_count(1)
    expect(field.locator("textarea")).to_have_attribute("name", "body")
    expect(field.locator(".field-errors")).to_have_text("This field is required.")
    expect(textarea).to_have_attribute("aria-invalid", "true")
    # A screen reader hears the error with the field: aria-describedby names it.
    described_by = textarea.get_attribute("aria-describedby") or ""
    assert described_by, "the comment field does not point at its error"
    error, *notes = described_by.split()
    expect(page.locator(f"[id='{error}']")).to_have_text("This field is required.")
    # Then the note under it, which says what the field takes.
    assert notes == ["id_body_note"]
    expect(page.locator("[id='id_body_note']")).to_contain_text("Markdown")
    expect(form.get_by_label("Name", exact=True)).to_have_value("Jane Doe")
    expect(form.get_by_label("E-mail", exact=True)).to_have_value("jane@example.org")
    expect(form.get_by_label("Website", exact=True)).to_have_value("https://jane.example.org/")
    assert not Comment.objects.exists()


def test_a_staff_members_name_is_refused_by_the_field_and_another_is_taken(
    page: Page, article: Article, django_user_model
):
    django_user_model.objects.create_user(
        "nokafor", first_name="Nell", last_name="Okafor", is_staff=True
    )
    page.goto(article.get_absolute_url())
    form = comment_form(page)
    fill_comment(form, "The council has confirmed it.", name="Nell \u039fkafor")  # Greek Ο
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Post Comment").click()

    assert navigation.value.status == 400
    form = comment_form(page)
    name = form.get_by_label("Name", exact=True)
    field = form.locator(".field.has-error")
    expect(field).to_have_count(1)
    expect(field.locator(".field-errors")).to_have_text(STAFF_NAME_TAKEN)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_value("Nell \u039fkafor")
    expect(form.get_by_label("Comment", exact=True)).to_have_value("The council has confirmed it.")
    page.screenshot(path="/tmp/broadsheet-staff-name.png", full_page=True)
    assert not Comment.objects.exists()

    name.fill("Nell from Leeds")
    submit(page, form)
    expect(page.locator(f"#comment-{posted_id(page)} .author")).to_have_text("Nell from Leeds")


def test_held_comment_is_shown_to_its_author_only(new_context, article: Article, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    author_page = new_context().new_page()

    pk = post_through_page(author_page, article, "Please let this through.", name="Patient")

    mine = author_page.locator(f"#comment-{pk}")
    expect(mine).to_have_class(re.compile(r"\bpending\b"))
    expect(mine.locator(".awaiting")).to_contain_text("awaiting moderation")
    expect(mine.locator(".comment-body")).to_have_text("Please let this through.")
    assert Comment.objects.get(pk=pk).status == Comment.Status.PENDING
    # The browser keeps the cookie that says so as it was sent: RFC 6265's
    # cookie-octets alone, no quotes to strip nor escapes to undo.
    (kept,) = [c for c in author_page.context.cookies() if c["name"] == "bs_mine"]
    assert re.fullmatch(r"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+", kept["value"])
    assert kept["value"].startswith(f"{pk}.")

    stranger = new_context().new_page()
    stranger.goto(article.get_absolute_url())
    expect(stranger.locator("#comments-heading")).to_have_text("0 Comments")
    expect(stranger.locator(f"#comment-{pk}")).to_have_count(0)
    expect(stranger.get_by_text("Please let this through.")).to_have_count(0)
    # Nor does the comment's permalink give it away.
    response = stranger.goto(f"/c/{pk}")
    assert response is not None and response.status == 404


def test_the_links_under_each_comment_name_its_author_for_screen_readers(
    page: Page, article: Article
):
    # Each was named by its word alone: a screen reader's list of the page's links read
    # "Reply, Quote, Report, Reply, Quote, Report", with nothing to tell them apart.
    post(article, "Is this right?", author_name="Asker")
    post(article, "שלום לכולם", author_name="נועה")
    mine = post_through_page(page, article, "My own view.", name="Jane Doe")

    for author in ("Asker", "נועה"):
        for name in (f"Reply to {author}", f"Quote {author}", f"Report the comment by {author}"):
            expect(page.get_by_role("link", name=name, exact=True)).to_have_count(1)
    # The reader's own comment: its Edit and Delete links say whose it is.
    own = page.locator(f"#comment-{mine} > article")
    expect(own.get_by_role("link", name="Edit your comment", exact=True)).to_have_text("Edit")
    expect(own.get_by_role("link", name="Delete your comment", exact=True)).to_have_text("Delete")
    # Each name holds the words shown, for a reader who says them to voice control.
    expect(page.get_by_role("link", name="Reply to Asker")).to_have_text("Reply")


def test_the_comment_a_permalink_leads_to_is_marked(page: Page, article: Article):
    # The last comments of a page cannot be scrolled to the top: nothing told the reader
    # which of those in view the link meant.
    first = post(article, "An early word.", author_name="First")
    last = post(article, "The last word.", author_name="Last")
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(f"/c/{last.pk}")

    def outline(pk: int) -> str:
        return page.locator(f"#comment-{pk} > article").evaluate(
            "el => getComputedStyle(el).outlineStyle"
        )

    expect(page.locator(":target")).to_have_id(f"comment-{last.pk}")
    expect(page.locator(f"#comment-{last.pk}")).to_be_in_viewport()
    assert outline(last.pk) == "solid"
    assert outline(first.pk) == "none"


def test_a_reader_goes_to_a_page_of_the_discussion_by_its_number(page: Page, article: Article):
    for i in range(4):
        post(article, f"Comment number {i}.", author_name=f"Reader {i}")
    SiteSettings.objects.filter(pk=1).update(comments_per_page=1)
    page.goto(article.get_absolute_url())
    pager = page.get_by_role("navigation", name="Comment pages")
    expect(pager.locator("[aria-current=page]")).to_have_text("Comment page 1")

    with page.expect_navigation():
        pager.get_by_role("link", name="Comment page 4", exact=True).click()

    expect(page).to_have_url(re.compile(r"/article/hello-world/\?page=4#comments-heading$"))
    expect(page.get_by_text("Comment number 3.")).to_be_visible()
    expect(pager.locator("[aria-current=page]")).to_have_text("Comment page 4")


def test_the_forms_notes_read_the_same_under_a_comment(page: Page, article: Article):
    # Under a comment they took the colour of links, from the rule for the line a
    # reader's own comment says about reply e-mails.
    parent = post(article, "Is this right?", author_name="Asker")
    page.goto(article.get_absolute_url())

    def note_colour() -> str:
        return (
            comment_form(page).locator("#id_body_note").evaluate("el => getComputedStyle(el).color")
        )

    at_the_top = note_colour()
    page.locator(f"#comment-{parent.pk} > article").get_by_role("link", name="Reply").click()
    expect(page.locator(f"#comment-{parent.pk} > .respond > form.comment-form")).to_be_visible()
    assert note_colour() == at_the_top


def test_turning_a_page_of_the_discussion_lands_on_its_comments(new_context, article: Article):
    # The pager's links led to the top of the discussion, the comment form: on a phone,
    # two screens of empty boxes to scroll past at every page.
    for i in range(3):
        post(article, f"Comment number {i}.", author_name=f"Reader {i}")
    SiteSettings.objects.filter(pk=1).update(comments_per_page=1)
    page = new_context(viewport={"width": 375, "height": 700}).new_page()
    page.goto(article.get_absolute_url())

    with page.expect_navigation():
        page.get_by_role("link", name="Next comments »").click()

    expect(page.locator("#comments-heading")).to_be_in_viewport()
    expect(page.get_by_text("Comment number 1.")).to_be_in_viewport()
    expect(comment_form(page).get_by_label("Name", exact=True)).not_to_be_in_viewport()
    # So does the count under the headline, and the choice of order.
    page.get_by_role("link", name="newest first").click()
    expect(page.locator("#comments-heading")).to_be_in_viewport()
    page.locator(".story .dateline").get_by_role("link", name="3 Comments »").click()
    expect(page.locator("#comments-heading")).to_be_in_viewport()


def select_text(page: Page, selector: str, passage: str) -> None:
    """Select ``passage`` inside the first text node of ``selector`` that holds it."""
    page.locator(selector).evaluate(
        """(el, passage) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(passage);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + passage.length);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                return;
            }
            throw new Error("passage not found");
        }""",
        passage,
    )


def test_quote_of_a_selected_passage_quotes_only_that(page: Page, article: Article):
    quoted = post(article, "First part stays out. The middle is quoted.", author_name="Jane")
    page.goto(article.get_absolute_url())

    select_text(page, f"#comment-{quoted.pk} .comment-body", "The middle is quoted.")
    page.locator(f"#comment-{quoted.pk} > article").get_by_role("link", name="Quote").click()

    body = comment_form(page).get_by_label("Comment", exact=True).input_value()
    assert body == f"> [Jane wrote:](/c/{quoted.pk})\n>\n> The middle is quoted.\n\n"


QUOTING = "> The bridge reopens in May.\n>\n> > Said the mayor.\n\nI doubt it, *again*.\nTwo lines."


def test_quoting_a_comment_keeps_the_words_it_quotes_as_quotes(new_context, article: Article):
    quoter = post(article, QUOTING, author_name="Jane")
    # The page without scripts quotes the stored text; the script, the page's: the same.
    bare = new_context(java_script_enabled=False).new_page()
    bare.goto(f"/c/{quoter.pk}/reply?quote=1")
    expected = bare.locator("textarea[name=body]").input_value()
    assert expected == (
        f"> [Jane wrote:](/c/{quoter.pk})\n>\n> > The bridge reopens in May.\n> >\n> > > Said"
        " the mayor.\n>\n> I doubt it, *again*.\n> Two lines.\n\n"
    )

    page = new_context().new_page()
    page.goto(article.get_absolute_url())
    page.locator(f"#comment-{quoter.pk} > article").get_by_role("link", name="Quote").click()
    written = comment_form(page).get_by_label("Comment", exact=True).input_value()
    assert written == expected.replace("*again*", "again")  # the page shows no asterisks

    # A passage chosen inside a quote the comment holds is quoted as deep as it stands.
    page.goto(article.get_absolute_url())
    select_text(page, f"#comment-{quoter.pk} .comment-body > blockquote", "reopens in May.")
    page.locator(f"#comment-{quoter.pk} > article").get_by_role("link", name="Quote").click()
    written = comment_form(page).get_by_label("Comment", exact=True).input_value()
    assert written == f"> [Jane wrote:](/c/{quoter.pk})\n>\n> > reopens in May.\n\n"


def test_quote_of_a_passage_of_the_article(page: Page, article: Article):
    article.body = "The council voted on Tuesday. The bridge reopens in May."
    save_article(article)
    page.goto(article.get_absolute_url())

    select_text(page, ".story .body", "The bridge reopens in May.")
    page.get_by_role("button", name="Quote the selected passage of the article").click()

    textarea = comment_form(page).get_by_label("Comment", exact=True)
    expect(textarea).to_be_focused()
    assert textarea.input_value() == "> The bridge reopens in May.\n\n"


def quote_link(page: Page, comment: Comment) -> Locator:
    return page.locator(f"#comment-{comment.pk} > article").get_by_role("link", name="Quote")


def test_a_quote_goes_where_the_cursor_is_on_lines_of_its_own(page: Page, article: Article):
    # It went at the top of the box, above what the reader had written.
    quoted = post(article, "Quote me.", author_name="Jane")
    page.goto(article.get_absolute_url())
    box = comment_form(page).get_by_label("Comment", exact=True)
    box.fill("My first point.\nMy second point.")
    box.press("Control+Home")
    box.press("End")

    quote_link(page, quoted).click()

    quote = f"> [Jane wrote:](/c/{quoted.pk})\n>\n> Quote me."
    expect(box).to_have_value(f"My first point.\n\n{quote}\n\nMy second point.")
    expect(box).to_be_focused()
    box.press_sequentially("So: ")
    expect(box).to_have_value(f"My first point.\n\n{quote}\n\nSo: My second point.")

    # Where the reader has not put the cursor, a quote goes after what the box holds, as
    # does a passage of the article.
    article.body = "The bridge reopens in May."
    save_article(article)
    page.goto(article.get_absolute_url())
    page.evaluate("document.querySelector('#id_body').value = 'Written before.'")
    select_text(page, ".story .body", "The bridge reopens in May.")
    page.get_by_role("button", name="Quote the selected passage of the article").click()
    expect(box).to_have_value("Written before.\n\n> The bridge reopens in May.\n\n")


def test_quoting_a_second_comment_keeps_the_reply_answering_the_first(page: Page, article: Article):
    # The second Quote moved the form and made the reply answer the comment it quoted,
    # though the reader was half-way through answering the first.
    first = post(article, "First thought.", author_name="Ann")
    second = post(article, "Second thought.", author_name="Ben")
    page.goto(article.get_absolute_url())
    quote_link(page, first).click()
    form = page.locator(f"#comment-{first.pk} > .respond > form.comment-form")
    box = form.get_by_label("Comment", exact=True)
    box.press_sequentially("Ann is right")

    quote_link(page, second).click()

    expect(form).to_be_visible()
    expect(form.locator("input[name=parent_id]")).to_have_value(str(first.pk))
    expect(page.locator("#respond")).to_have_text("Leave a Reply to Ann")
    expect(box).to_have_value(
        f"> [Ann wrote:](/c/{first.pk})\n>\n> First thought.\n\nAnn is right\n\n"
        f"> [Ben wrote:](/c/{second.pk})\n>\n> Second thought.\n\n"
    )
    expect(box).to_be_focused()

    # Nothing written yet: the quote starts a reply to the comment quoted.
    page.get_by_role("button", name="Cancel reply").click()
    page.locator(f"#comment-{first.pk} > article").get_by_role("link", name="Reply").click()
    box.fill("")
    quote_link(page, second).click()
    moved = page.locator(f"#comment-{second.pk} > .respond > form.comment-form")
    expect(moved.locator("input[name=parent_id]")).to_have_value(str(second.pk))
    expect(moved.get_by_label("Comment", exact=True)).to_have_value(
        f"> [Ben wrote:](/c/{second.pk})\n>\n> Second thought.\n\n"
    )


NOTHING_SELECTED = (
    "No passage of the article is selected: choose a paragraph to quote, "
    "or select a passage and press again."
)


def test_a_keyboard_reader_quotes_a_paragraph_of_the_article(page: Page, article: Article):
    # Quoting the article needed a selection, which a keyboard hardly makes.
    article.body = (
        "The council voted on Tuesday.\n\n"
        "The bridge reopens in May, after two years and a long campaign by the cyclists "
        "of the town, who crossed it every day.[^1]\n\n"
        "- Tolls stay.\n\n[^1]: Council minutes."
    )
    save_article(article)
    page.goto(article.get_absolute_url())
    # Nothing for a mouse reader to pass over until asked for.
    expect(page.locator(".quote-picker")).to_have_count(0)
    box = comment_form(page).get_by_label("Comment", exact=True)
    box.focus()
    box.press_sequentially("Good news.")
    page.keyboard.press("Tab")  # past the reply-mail box, to the quote button
    while not page.evaluate("document.activeElement.classList.contains('quote-article')"):
        page.keyboard.press("Tab")

    page.keyboard.press("Enter")

    expect(comment_form(page).get_by_role("status")).to_have_text(NOTHING_SELECTED)
    choice = page.get_by_label("Paragraph to quote")
    expect(choice).to_be_focused()
    expect(choice.locator("option")).to_have_text([
        "1. The council voted on Tuesday.",
        "2. The bridge reopens in May, after two years and a long campaign by the …",
        "3. Tolls stay.",
    ])  # fmt: skip
    assert_accessible(page)
    choice.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Quote this paragraph")).to_be_focused()
    page.keyboard.press("Enter")

    expect(box).to_be_focused()
    expect(box).to_have_value(
        "Good news.\n\n> The bridge reopens in May, after two years and a long campaign by "
        "the cyclists of the town, who crossed it every day.\n\n"
    )


def test_quoting_the_article_with_nothing_selected_says_so_in_a_live_region(
    page: Page, article: Article
):
    # The button's own name became the message: changed under the focus, a screen reader
    # does not read it again, and the button went on being called "Select a passage …".
    article.body = "The council voted on Tuesday. The bridge reopens in May."
    save_article(article)
    page.goto(article.get_absolute_url())
    button = page.get_by_role("button", name="Quote the selected passage of the article")

    button.click()

    status = comment_form(page).get_by_role("status")
    expect(status).to_have_text(NOTHING_SELECTED)
    expect(button).to_have_accessible_name("Quote the selected passage of the article")
    select_text(page, ".story .body", "The council voted on Tuesday.")
    button.click()
    expect(status).to_have_text("")
    expect(comment_form(page).get_by_label("Comment", exact=True)).to_have_value(
        "> The council voted on Tuesday.\n\n"
    )


def test_failed_reply_stays_under_the_comment_it_answers(page: Page, article: Article):
    parent = post(article, "Is this right?", author_name="Asker")
    page.goto(article.get_absolute_url())
    page.locator(f"#comment-{parent.pk} > article").get_by_role("link", name="Reply").click()
    form = page.locator(f"#comment-{parent.pk} > .respond > form.comment-form")
    fill_comment(form, "", name="Answerer")
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Post Comment").click()
    assert navigation.value.status == 400

    form = page.locator(f"#comment-{parent.pk} > .respond > form.comment-form")
    expect(form).to_be_visible()
    expect(page.locator(f"#comment-{parent.pk} h3#respond")).to_have_text("Leave a Reply to Asker")
    expect(form.locator("input[name=parent_id]")).to_have_value(str(parent.pk))
    fill_comment(form, "Second try.", name="Answerer")
    submit(page, form)
    pk = posted_id(page)
    expect(page.locator(f"#comment-{parent.pk} > ol.children > li#comment-{pk}")).to_be_visible()


def test_links_on_a_page_with_form_errors_lead_back_to_the_article(page: Page, article: Article):
    for i in range(3):
        post(article, f"Comment number {i}.", author_name=f"Reader {i}")
    SiteSettings.objects.filter(pk=1).update(comments_per_page=2)
    page.goto(article.get_absolute_url())
    with page.expect_navigation():
        comment_form(page).get_by_role("button", name="Post Comment").click()
    expect(page).to_have_url(re.compile(r"/comments$"))
    # The reader is taken to what needs mending, not left at the top of the article.
    expect(comment_form(page).get_by_label("Name", exact=True)).to_be_focused()

    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="newest first").click()
    assert navigation.value.status == 200
    expect(page).to_have_url(re.compile(r"/article/hello-world/\?order=newest#comments-heading$"))

    page.go_back()
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="Next comments »").click()
    assert navigation.value.status == 200
    expect(page).to_have_url(re.compile(r"/article/hello-world/\?page=2#comments-heading$"))


def test_failed_reply_on_a_later_page_comes_back_under_the_comment_it_answers(
    page: Page, article: Article
):
    # It came back on the first page, which lacks the comment, the form at the top saying
    # only "Replying to a comment on another page".
    post(article, "On page one.", author_name="First")
    parent = post(article, "On page two.", author_name="Second")
    SiteSettings.objects.filter(pk=1).update(comments_per_page=1)
    page.goto(article.get_absolute_url() + "?page=2")
    page.locator(f"#comment-{parent.pk} > article").get_by_role("link", name="Reply").click()
    form = page.locator(f"#comment-{parent.pk} > .respond > form.comment-form")
    box = form.get_by_label("Comment", exact=True)
    # The box says whom it answers to a screen reader, which the focus takes past the heading.
    expect(box).to_have_accessible_description(re.compile(r"^Leave a Reply to Second "))
    fill_comment(form, "", name="Answerer")
    with page.expect_navigation():
        form.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".pager")).to_contain_text("Comment page 2 of 2")
    moved = page.locator(f"#comment-{parent.pk} > .respond")
    expect(moved.locator("#respond")).to_have_text("Leave a Reply to Second")
    expect(moved.get_by_role("button", name="Cancel reply")).to_have_count(1)
    expect(moved.locator("a.cancel-reply")).to_have_count(0)
    # The box's error first, then whom it answers.
    expect(box).to_have_accessible_description(
        re.compile(r"^This field is required\. Leave a Reply to Second ")
    )
    moved.get_by_role("button", name="Cancel reply").click()
    form = page.locator("#comments > .respond > form.comment-form")
    expect(form.locator("input[name=parent_id]")).to_have_value("")
    expect(page.locator("#comments > .respond h2#respond")).to_have_text("Leave a Reply")
    expect(form.get_by_label("Comment", exact=True)).not_to_have_accessible_description(
        re.compile("Leave a Reply")
    )


def test_failed_reply_without_javascript_says_whom_it_answers(new_context, article: Article):
    # Sent from the reply page, it came back on the article's first page with no word
    # that it answered anyone: mended and sent, it went into a thread the reader never saw.
    post(article, "On page one.", author_name="First")
    parent = post(article, "On page two.", author_name="Second")
    SiteSettings.objects.filter(pk=1).update(comments_per_page=1)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"/c/{parent.pk}/reply")
    form = comment_form(page)
    fill_comment(form, "", name="Answerer")
    with page.expect_navigation():
        form.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".pager")).to_contain_text("Comment page 2 of 2")
    heading = page.get_by_role("heading", level=2, name="Leave a Reply to Second")
    expect(heading.get_by_role("link", name="Second")).to_have_attribute("href", f"/c/{parent.pk}")
    box = form.get_by_label("Comment", exact=True)
    expect(box).to_have_accessible_description(
        re.compile(r"^This field is required\. Leave a Reply to Second ")
    )
    fill_comment(form, "Second try.", name="Answerer")
    submit(page, form)
    pk = posted_id(page)
    expect(page.locator(f"#comment-{parent.pk} > ol.children > li#comment-{pk}")).to_be_visible()


def test_a_reader_reading_newest_first_stays_so_after_posting(page: Page, article: Article):
    old = post(article, "The oldest.", author_name="First")
    for i in range(2):
        post(article, f"Newer {i}.", author_name=f"Reader {i}")
    SiteSettings.objects.filter(pk=1).update(comments_per_page=1)
    page.goto(article.get_absolute_url() + "?order=newest&page=3")
    page.locator(f"#comment-{old.pk} > article").get_by_role("link", name="Reply").click()
    form = page.locator(f"#comment-{old.pk} > .respond > form.comment-form")
    fill_comment(form, "An answer to the oldest.", name="Answerer")
    submit(page, form)

    pk = posted_id(page)
    expect(page).to_have_url(re.compile(r"\?order=newest&page=3#comment-\d+$"))
    expect(page.locator(f"#comment-{old.pk} > ol.children > li#comment-{pk}")).to_be_visible()
    expect(page.locator(".order strong")).to_have_text("newest first")


def test_a_wordpress_link_to_a_comment_on_a_later_page_lands_on_it(page: Page, db, tmp_path):
    """/2016/12/06/post-7/#comment-N, as WordPress wrote it, after the site moved in."""
    base = reserve_ids(0) + 10
    run_import(
        "wxr",
        wxr(tmp_path / "moved.xml", {7: [(base + 1, 0), (base + 2, 0), (base + 3, base + 2)]}),
    )
    site = SiteSettings.load()
    site.comments_per_page = 1
    site.save()

    with page.expect_navigation(url=re.compile(r"\?page=2#comment-")):
        page.goto(f"/2016/12/06/post-7/#comment-{base + 3}")
    expect(page.locator(":target")).to_have_id(f"comment-{base + 3}")
    expect(page.locator(f"#comment-{base + 3}")).to_contain_text(f"Comment {base + 3}.")

    # A comment the page holds is left alone; one of another article is not followed.
    page.goto(f"/2016/12/06/post-7/#comment-{base + 1}")
    expect(page.locator(":target")).to_have_id(f"comment-{base + 1}")
    other = post(make_article(title="Other", slug="other"), "Elsewhere.")
    page.goto(f"/2016/12/06/post-7/#comment-{other.pk}")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/article/post-7/#comment-{other.pk}")


def test_a_disqus_link_to_a_comment_lands_on_it(page: Page, db, tmp_path):
    """/story/#comment-N, where N is the Disqus post's number, after the site moved in."""
    posts = "".join(_disqus_post(3000000000 + n, 1) for n in (1, 2, 3))
    run_import("disqus", _disqus(tmp_path / "d.xml", _thread(1, "http://x.example/story/"), posts),
               "--create-missing", "--no-train")  # fmt: skip
    site = SiteSettings.load()
    site.comments_per_page = 1
    site.save()
    last = Comment.objects.get(origin__endswith="#3000000003")

    with page.expect_navigation(url=re.compile(r"\?page=3#comment-")):
        page.goto("/story/#comment-3000000003")
    expect(page.locator(":target")).to_have_id(f"comment-{last.pk}")
    expect(page.locator(":target")).to_contain_text("post 3000000003")


def test_each_checkbox_of_the_form_sits_on_the_line_of_its_words(page: Page, article: Article):
    page.goto(article.get_absolute_url())
    for box_id in ("id_notify_replies", "id_remember"):
        box = page.locator(f"#{box_id}").bounding_box()
        label = page.locator(f"label[for={box_id}]").bounding_box()
        assert box and label, box_id
        # On one line: the box's middle within the words' height, the box before them.
        middle = box["y"] + box["height"] / 2
        assert label["y"] <= middle <= label["y"] + label["height"], box_id
        assert box["x"] + box["width"] <= label["x"] + 1, box_id
        assert box["width"] < 40, box_id  # a box, not stretched across the form


def test_the_forms_boxes_read_alike_and_the_report_box_takes_the_column(
    page: Page, article: Article
):
    """The two tick boxes' words are in one type (the reply-mail one was the field
    names' bold, the remember-me one the body's serif), and the report form's box for
    details is as wide as its column, where it was a narrow default textarea."""
    comment = post(article, "Worth a report?")
    page.goto(article.get_absolute_url())

    def font(selector: str) -> list[str]:
        return page.locator(selector).evaluate(
            "e => { const s = getComputedStyle(e);"
            " return [s.fontFamily, s.fontWeight, s.fontSize]; }"
        )

    assert font("label[for=id_notify_replies]") == font("label[for=id_remember]")
    page.goto(f"/moderation/report/{comment.pk}")
    box = page.locator(".report-form textarea").bounding_box()
    column = page.locator(".report-form").bounding_box()
    assert box is not None and column is not None
    assert box["width"] >= column["width"] - 2


def test_the_links_under_a_comment_are_a_thumbs_target_on_a_phone(page: Page, article: Article):
    comment = post(article, "Tap to answer.", author_name="Jane")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(article.get_absolute_url())
    for name in ("Reply", "Quote", "Report"):
        link = page.locator(f"#comment-{comment.pk} > article").get_by_role("link", name=name)
        found = link.bounding_box()
        assert found is not None and found["height"] >= 24, (name, found)
