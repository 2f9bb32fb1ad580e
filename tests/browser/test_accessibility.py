"""axe-core, run in a real browser, finds no accessibility violations on any page type."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from broadsheet.newsroom.models import Article, SiteSettings, Tag
from tests.conftest import make_article, post

pytestmark = pytest.mark.browser

AXE = Axe()


def assert_accessible(page: Page) -> None:
    results = AXE.run(page)
    if results.violations_count:
        lines = [f"{results.violations_count} axe violation(s) on {page.url}:"]
        for violation in results.response["violations"]:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
                lines.append(f"       {node['failureSummary']}".replace("\n", "\n       "))
        pytest.fail("\n".join(lines), pytrace=False)


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
    post(article, "שאלה טובה: מי משלם?", author_name="דנה")
    make_article(title="Another story", section=article.section, author=article.author)
    return {"article": article, "first": first, "answer": answer}


def test_front_page(page: Page, discussion):
    page.goto("/")
    assert_accessible(page)


def test_article_page_with_threaded_comments(page: Page, discussion):
    page.goto(discussion["article"].get_absolute_url())
    expect(page.locator("ol.children")).to_have_count(2)
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
    get_user_model().objects.create_superuser("editor", "editor@example.org", "correct horse")

    page.goto("/admin/login/?next=/moderation/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    expect(page.locator(".queue-item")).to_have_count(2)
    assert_accessible(page)
