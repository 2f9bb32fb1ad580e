"""axe-core, run in a real browser, finds no accessibility violations on any page type."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from broadsheet.discussion.actions import set_featured
from broadsheet.newsroom.actions import save_site_settings
from broadsheet.newsroom.models import Article, SiteSettings, Tag
from tests.conftest import make_article, post

pytestmark = pytest.mark.browser

AXE = Axe()


# Every rule of WCAG 2.0 to 2.2, levels A and AA, and axe's best practices: beyond the
# defaults, this adds the rules for touch target size and the best-practice rules.
STRICT = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def assert_accessible(
    page: Page, options: dict | None = None, djangos: dict[str, str] | None = None
) -> None:
    """axe finds nothing on ``page``; but for ``djangos``: what each rule (by its id)
    finds inside the parts that Django's admin draws itself (a CSS selector), each
    listed with the reason in docs/operations.md."""
    results = AXE.run(page, options=options) if options else AXE.run(page)
    violations = results.response["violations"]
    for violation in violations:
        where = (djangos or {}).get(violation["id"])
        if where:
            violation["nodes"] = [
                node
                for node in violation["nodes"]
                if not page.evaluate(
                    "([target, where]) => !!document.querySelector(target)?.closest(where)",
                    [node["target"][0], where],
                )
            ]
    violations = [violation for violation in violations if violation["nodes"]]
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
                lines.append(f"       {node['failureSummary']}".replace("\n", "\n       "))
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in_as_editor(page: Page, next_page: str) -> None:
    """Make an editor (a superuser) and sign in through the admin's form, landing on next_page."""
    get_user_model().objects.create_superuser("editor", "editor@example.org", "correct horse")
    page.goto(f"/admin/login/?next={next_page}")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


@pytest.fixture
def discussion(article: Article) -> dict:
    """An article with a threaded, quoting discussion, plus a second article."""
    article.tags.add(Tag.objects.create(name="Bridges", slug="bridges"))
    first = post(article, "About time. I cross it **every** day.", author_name="Sam")
    answer = post(article, "Seven to six is hardly a mandate.", author_name="Jane", parent=first)
    post(
        article,
        f"> [Jane wrote:](/c/{answer.pk})\n>\n> hardly a mandate\n\nA win is a [win](https://example.org).",
        author_name="علي",
        author_url="https://ali.example.org",
        parent=answer,
    )
    hebrew = post(article, "שאלה טובה: מי משלם?", author_name="דנה")
    set_featured(hebrew, True)  # the discussion leads with an editors' pick
    make_article(title="Another story", section=article.section, author=article.author)
    return {"article": article, "first": first, "answer": answer}


def test_front_page(page: Page, discussion):
    page.goto("/")
    assert_accessible(page)


def test_article_page_with_threaded_comments(page: Page, discussion):
    page.goto(discussion["article"].get_absolute_url())
    expect(page.locator("ol.children")).to_have_count(2)
    expect(page.locator(".picks .comment-body")).to_have_text("שאלה טובה: מי משלם?")
    assert_accessible(page)


def test_article_page_with_reply_form_opened_by_script(page: Page, discussion):
    page.goto(discussion["article"].get_absolute_url())
    page.locator(f"#comment-{discussion['answer'].pk} > article").get_by_role(
        "link", name="Quote"
    ).click()
    expect(page.get_by_role("button", name="Cancel reply")).to_be_visible()
    assert_accessible(page)


def test_article_page_with_form_errors(page: Page, discussion):
    page.goto(discussion["article"].get_absolute_url())
    page.get_by_label("E-mail", exact=True).fill("not an address")
    with page.expect_navigation():
        page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".field-errors")).to_have_count(3)
    assert_accessible(page)


def test_article_page_with_own_comment_awaiting_moderation(page: Page, discussion, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    page.goto(discussion["article"].get_absolute_url())
    # Told before writing, between the heading and the form.
    expect(page.locator(".respond-head:has(#respond) + .held-note")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Patient")
    page.get_by_label("Comment", exact=True).fill("Waiting my turn.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".awaiting")).to_be_visible()
    assert_accessible(page)


def test_section_archive(page: Page, discussion):
    page.goto(discussion["article"].section.get_absolute_url())
    assert_accessible(page)


def test_reply_page(page: Page, discussion):
    page.goto(f"/c/{discussion['answer'].pk}/reply")
    assert_accessible(page)


def test_quote_page(page: Page, discussion):
    page.goto(f"/c/{discussion['answer'].pk}/reply?quote=1")
    assert_accessible(page)


def test_moderation_queue(page: Page, discussion, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    article = discussion["article"]
    post(article, "Hold this one.", author_name="Held", author_email="held@example.org")
    post(article, "And this reply.", author_name="Also held", parent=discussion["first"])
    sign_in_as_editor(page, "/moderation/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    expect(page.locator(".queue-item")).to_have_count(2)
    assert_accessible(page)


def test_a_storys_comment_settings(page: Page, discussion):
    article = discussion["article"]
    sign_in_as_editor(page, f"/moderation/story/{article.pk}/")
    page.get_by_label("Closed: no new comments").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the comment settings")
    expect(page.get_by_label("Closed: no new comments")).to_be_checked()
    assert_accessible(page)


def test_audit_log_on_a_phone(new_context, discussion):
    from broadsheet.moderation import actions
    from broadsheet.moderation.models import AuditEntry

    comment = post(discussion["article"], "Held for a moment.", author_name="Held")
    actions.reject(comment, actor=None)
    AuditEntry.objects.filter(comment=comment).update(note="A long note " * 12)
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in_as_editor(page, "/moderation/log/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    # The table scrolls within itself; the page does not run off the screen.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert_accessible(page)
    # Its comment opens where a moderator can act on it.
    with page.expect_navigation():
        page.get_by_role("link", name=f"#{comment.pk}").click()
    expect(page.locator(f"#q-{comment.pk}")).to_be_visible()


def test_blocked_authors_on_a_phone(new_context, discussion, site):
    from broadsheet.moderation import actions
    from broadsheet.moderation.models import Block

    comment = post(discussion["article"], "Buy now.", author_name="Valley Coach Deals",
                   author_email="offers@valleycoachdeals.example.com")  # fmt: skip
    actions.block_author(comment, actor=None, kinds=[Block.Kind.EMAIL], reason="Adverts")
    page = new_context(viewport={"width": 390, "height": 800}).new_page()
    sign_in_as_editor(page, "/moderation/blocks/")
    site.language = "he"  # Hebrew's headings are the widest
    save_site_settings(site)
    page.reload()

    expect(page.get_by_role("heading", level=1)).to_have_text("כותבים חסומים")
    # The table scrolls within itself; the page does not run off the screen.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="הסרת חסימה").click()
    expect(page.get_by_role("status")).to_be_visible()


def test_filter_page_and_setting_the_thresholds(page: Page, discussion):
    from broadsheet.discussion.models import Comment
    from broadsheet.moderation.models import ModerationSettings

    article = discussion["article"]
    for n in range(25):  # scored, then settled both ways: enough for suggestions
        for status, score in (
            (Comment.Status.APPROVED, n / 100),
            (Comment.Status.SPAM, 0.6 + n / 100),
        ):
            comment = post(article, f"Comment {status} {n}", author_name=f"R{n}")
            Comment.objects.filter(pk=comment.pk).update(status=status, score=score)
    sign_in_as_editor(page, "/moderation/filter/")

    expect(page.get_by_role("heading", level=1)).to_have_text("How the filter has done here")
    expect(page.locator(".filter-settled")).to_have_text("25 published and 25 rejected or spam")
    assert_accessible(page)
    # The browser's own check stops a spam threshold above 1 before it is sent.
    page.get_by_label("File as spam from score").fill("1.5")
    page.get_by_role("button", name="Set thresholds").click()
    assert page.get_by_label("File as spam from score").evaluate("e => !e.validity.valid")
    # The server refuses a spam threshold below the hold threshold, and says why.
    page.get_by_label("Hold for review from score").fill("0.8")
    page.get_by_label("File as spam from score").fill("0.7")
    with page.expect_navigation():
        page.get_by_role("button", name="Set thresholds").click()
    expect(page.locator("#spam-error")).to_contain_text("cannot be below the hold threshold")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Use the suggested ones").click()
    expect(page.locator(".messages")).to_contain_text("Thresholds set: hold from 0.43")
    rules = ModerationSettings.load()
    assert (rules.hold_threshold, rules.spam_threshold) == (0.43, 0.95)


def test_deep_replies_and_the_queue_on_a_narrow_phone(new_context, discussion, site):
    article = discussion["article"]
    deepest = post(
        article, "Four levels down. " * 6, author_name="Deep", parent=discussion["answer"]
    )
    deepest = post(article, "Five levels down. " * 6, author_name="Deeper", parent=deepest)
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(article.get_absolute_url())
    # Each level of replies gives up little width: the deepest reply keeps most of it.
    width = page.locator(f"#comment-{deepest.pk} > article").bounding_box()["width"]
    assert width > 0.7 * 360
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    # The form's buttons (one added by the page script) start at the same edge.
    row = page.locator("#comments form.comment-form .form-actions button")
    expect(row).to_have_count(2)
    lefts = {round(row.nth(i).bounding_box()["x"]) for i in range(2)}
    tops = {round(row.nth(i).bounding_box()["y"]) for i in range(2)}
    assert len(lefts) == 1 or len(tops) == 1

    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    post(article, "Hold this one.", author_name="Held")
    sign_in_as_editor(page, "/moderation/")
    # The decision buttons stand in an even row, not a staircase.
    buttons = page.locator("fieldset.bulk button")
    expect(buttons).to_have_count(3)
    boxes = [buttons.nth(i).bounding_box() for i in range(3)]
    assert len({round(box["y"]) for box in boxes}) == 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360


def reader_pages(discussion: dict) -> dict[str, str]:
    """A reader's pages, the comment form's errors and the sign-in page among them."""
    article, answer = discussion["article"], discussion["answer"]
    return {
        "front page": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": "/tag/bridges/",
        "author": article.author.get_absolute_url(),
        "reply": f"/c/{answer.pk}/reply",
        "quote": f"/c/{answer.pk}/reply?quote=1",
        "report": f"/moderation/report/{answer.pk}",
        "search": "/search/?q=bridge",
        "search, nothing found": "/search/?q=lighthouse",
        "not found": "/no-such-page/",
        "sign-in": "/admin/login/?next=/moderation/",
    }


@pytest.mark.parametrize(
    "view",
    [
        pytest.param({"viewport": {"width": 375, "height": 800}}, id="phone"),
        # A 1280-pixel window zoomed to 200%: 640 CSS pixels across, drawn at twice the size.
        pytest.param(
            {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}, id="zoom-200"
        ),
    ],
)
def test_reader_pages_meet_wcag_2_2_aa_and_best_practice(new_context, discussion, view):
    page = new_context(**view).new_page()
    for url in reader_pages(discussion).values():
        page.goto(url)
        # Nothing runs off the side: the page reflows (WCAG 1.4.10).
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), url
        assert_accessible(page, STRICT)
    page.goto(discussion["article"].get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Post Comment").click()
    assert_accessible(page, STRICT)


def test_a_discussion_of_several_pages_on_a_phone(new_context, discussion, site):
    for i in range(4):
        post(discussion["article"], f"Comment number {i}.", author_name=f"Reader {i}")
    site.comments_per_page = 1
    site.save()
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    page.goto(discussion["article"].get_absolute_url() + "?page=3")
    expect(page.locator(".pager [aria-current=page]")).to_have_text("Comment page 3")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, STRICT)


def test_the_sign_in_page_is_headed_by_its_title(page: Page):
    page.goto("/admin/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_cancelling_a_reply_from_the_keyboard_gives_the_focus_back_to_its_link(
    page: Page, discussion
):
    page.goto(discussion["article"].get_absolute_url())
    reply = page.locator(f"#comment-{discussion['first'].pk} > article").get_by_role(
        "link", name="Reply"
    )
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Comment", exact=True)).to_be_focused()
    cancel = page.get_by_role("button", name="Cancel reply")
    cancel.focus()
    page.keyboard.press("Enter")
    expect(cancel).to_be_hidden()
    # Where the reader was, not back at the top of the page.
    expect(reply).to_be_focused()


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_a_form_sent_back_with_errors_opens_on_the_first_field_to_mend(
    new_context, discussion, scripts
):
    page = new_context(java_script_enabled=scripts).new_page()
    page.goto(discussion["article"].get_absolute_url())
    page.get_by_label("Comment", exact=True).fill("No name given.")
    page.get_by_role("button", name="Post Comment").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    name = page.get_by_label("Name", exact=True)
    expect(name).to_be_focused()
    # Read out with it: that it is wrong, and why.
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("This field is required"))
    expect(page.get_by_label("Comment", exact=True)).to_have_value("No name given.")


def test_a_report_sent_without_a_reason_opens_on_the_choice_saying_why(page: Page, discussion):
    page.goto(f"/moderation/report/{discussion['answer'].pk}")
    # The browser's own check is passed by, as a browser without one would.
    page.locator("form.report-form").evaluate("form => form.noValidate = true")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    group = page.get_by_role("group", name="What is wrong with this comment?")
    expect(group).to_be_focused()
    expect(group).to_have_accessible_description("This field is required.")


# What axe finds in the parts of the admin that Django draws, and Broadsheet leaves as
# they are (docs/operations.md, "Checking the HTML"): rule -> where.
DJANGOS = {
    # The breadcrumbs, the list's "Show all" and the links of a delete page's list of
    # what goes are told from the words around them by their colour alone.
    "link-in-text-block": ".breadcrumbs, #toolbar, .delete-confirmation #content ul",
    # The filters' links, one line of small type each.
    "target-size": "#changelist-filter",
    # select2, the autocomplete boxes (byline, section, tags, lead image): its combobox
    # and its search box have no name, and the chosen tags are spans in a list.
    "aria-input-field-name": ".select2-container",
    "label": ".select2-container",
    "list": ".select2-container",
}


@pytest.mark.parametrize(
    ("language", "width"), [("en", 1280), ("en", 375), ("he", 375)], ids=["en", "phone", "he"]
)
def test_the_admin_pages_broadsheet_draws_meet_wcag_2_2_aa(
    new_context, discussion, language, width
):
    from broadsheet.moderation.actions import block_author

    article, answer = discussion["article"], discussion["answer"]
    troll = post(article, "Buy pills.", author_name="Troll", author_email="troll@example.org")
    (ended,) = block_author(troll, actor=None, kinds=["email"], days=7)
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in_as_editor(page, "/admin/")
    site = SiteSettings.load()
    site.language = language
    save_site_settings(site)
    pages = [
        "/admin/",
        "/admin/newsroom/article/",
        "/admin/newsroom/article/add/",
        f"/admin/newsroom/article/{article.pk}/change/",
        f"/admin/newsroom/article/{article.pk}/delete/",
        f"/admin/newsroom/section/{article.section.pk}/delete/",
        f"/admin/newsroom/sitesettings/{site.pk}/change/",
        "/admin/discussion/comment/",
        f"/admin/discussion/comment/{answer.pk}/change/",
        f"/admin/moderation/block/{ended.pk}/change/",
        "/admin/moderation/auditentry/",
        "/admin/media/image/",
    ]
    for address in pages:
        page.goto(address)
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        assert_accessible(page, STRICT, djangos=DJANGOS)
    # The page of the list's "Delete selected articles".
    page.goto("/admin/newsroom/article/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("delete_selected")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    assert_accessible(page, STRICT, djangos=DJANGOS)
