"""A published article's old address still finds it after its slug changes."""

from __future__ import annotations

import pytest

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, Author, FormerSlug, Redirect, Section, Tag
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def rename(article: Article, slug: str) -> Article:
    article = Article.objects.get(pk=article.pk)  # as a form loads it
    article.slug = slug
    return actions.save_article(article)


def admin_form(article: Article, **changes) -> dict:
    published = article.published_at
    form = {
        "title": article.title, "slug": article.slug, "summary": article.summary,
        "body": article.body, "author": "", "source_name": "", "source_url": "",
        "section": "", "status": article.status,
        "published_at_0": published.strftime("%Y-%m-%d") if published else "",
        "published_at_1": published.strftime("%H:%M:%S") if published else "",
        "comments_open": "on", "comment_policy": "site",
    }  # fmt: skip
    return {**form, **changes}


def test_renaming_in_the_admin_makes_the_old_address_answer_301(admin_client, client):
    article = make_article(title="Budget vote", slug="budget-vote")
    url = f"/admin/newsroom/article/{article.pk}/change/"
    response = admin_client.post(url, admin_form(article, slug="budget-vote-delayed"))
    assert response.status_code == 302
    old = client.get("/article/budget-vote/")
    assert old.status_code == 301
    assert old["Location"] == "/article/budget-vote-delayed/"
    assert client.get("/article/budget-vote-delayed/").status_code == 200


def test_a_non_ascii_slugs_old_address_redirects(client):
    article = make_article(slug="שלום")
    rename(article, "שלום-עולם")
    response = client.get("/article/%D7%A9%D7%9C%D7%95%D7%9D/")
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(pk=article.pk).get_absolute_url()


def test_changing_the_slug_back_makes_no_loop(client):
    article = make_article(slug="first")
    rename(article, "second")
    rename(article, "first")
    assert client.get("/article/first/").status_code == 200
    assert client.get("/article/second/")["Location"] == "/article/first/"
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/article/second/"]
    rename(article, "third")
    assert client.get("/article/first/")["Location"] == "/article/third/"
    assert client.get("/article/second/")["Location"] == "/article/third/"


def test_a_later_article_with_the_old_slug_wins_over_the_redirect(client):
    old = make_article(title="Old", slug="storm")
    rename(old, "storm-2025")
    new = make_article(title="New storm", slug="storm")
    response = client.get("/article/storm/")
    assert response.status_code == 200 and "New storm" in response.content.decode()
    # Renamed in turn, the address now leads to the article that had it last.
    rename(new, "storm-2026")
    assert client.get("/article/storm/")["Location"] == "/article/storm-2026/"


def test_a_draft_that_was_never_shown_leaves_no_redirect(client):
    draft = make_article(slug="working-title", status=Article.Status.DRAFT, published_at=None)
    rename(draft, "final-title")
    assert not Redirect.objects.exists()


def test_an_article_returned_to_draft_and_renamed_keeps_its_old_address(client):
    article = make_article(title="Ferry fares", slug="ferry-fares")
    actions.unpublish(Article.objects.get(pk=article.pk))
    rename(article, "ferry-fares-rise")
    actions.publish(Article.objects.get(pk=article.pk))
    assert client.get("/article/ferry-fares/")["Location"] == "/article/ferry-fares-rise/"


@pytest.mark.parametrize("model, prefix", [(Section, "section"), (Tag, "tag"), (Author, "author")])
def test_a_renamed_section_tag_or_bylines_old_address_answers_301(client, model, prefix):
    filed = model.objects.create(name="Council", slug="council")
    filed.slug = "city-council"
    filed.save()
    response = client.get(f"/{prefix}/council/?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"/{prefix}/city-council/?page=2"
    assert client.get(f"/{prefix}/city-council/").status_code == 200

    # Another takes the old slug: the address is its own now.
    other = model.objects.create(name="Council (old)", slug="council")
    assert client.get(f"/{prefix}/council/").status_code == 200
    other.delete()
    assert client.get(f"/{prefix}/council/").status_code == 404
    # Renamed back, then deleted: no address is left pointing at it.
    filed.slug = "council"
    filed.save()
    assert client.get(f"/{prefix}/city-council/").status_code == 301
    filed.delete()
    assert client.get(f"/{prefix}/city-council/").status_code == 404
    assert not FormerSlug.objects.exists()
