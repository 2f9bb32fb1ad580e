"""Moderators find comments by what they say or who sent them, in every status, and
act on all of them at once: a spam wave the filter let through, taken down together."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.moderation.models import AuditEntry
from tests.conftest import post
from tests.test_html import check_page

pytestmark = pytest.mark.django_db
Status = Comment.Status


def listed(html: str) -> list[int]:
    """The comments a queue page lists, in order."""
    return [int(part.split('"', 1)[0]) for part in html.split('<li id="q-')[1:]]


def test_a_published_spam_wave_is_found_and_taken_down_at_once(staff, article):
    wave = [post(article, f"Great read! Pills at http://cheap-pills.example/{i}") for i in range(3)]
    held = post(article, "CHEAP-PILLS.EXAMPLE has them")
    Comment.objects.filter(pk=held.pk).update(status=Status.PENDING)
    signed = post(article, "Nice.", author_url="https://cheap-pills.example/")
    post(article, "Pills for my cat are cheap at the vet, for example.")
    article.refresh_from_db()
    assert article.comment_count == 5

    page = staff.get("/moderation/", {"q": "  cheap-pills.example "})
    html = page.content.decode()
    found = [signed.pk, held.pk, *(c.pk for c in reversed(wave))]  # newest first
    assert listed(html) == found
    assert "Comments matching “<bdi>cheap-pills.example</bdi>”" in html
    assert 'value="cheap-pills.example"' in html  # the box says what was searched
    check_page(html)

    staff.post(
        "/moderation/decide", {"action": "spam", "ids": found, "next": page.request["PATH_INFO"]}
    )
    assert set(Comment.objects.filter(status=Status.SPAM).values_list("pk", flat=True)) == set(
        found
    )
    article.refresh_from_db()
    assert article.comment_count == 1  # the cat's comment stands
    assert AuditEntry.objects.filter(comment__in=found).count() == len(found)


def test_names_e_mail_addresses_and_ip_addresses_are_found(staff, article):
    troll = post(article, "First.", author_name="Grumpy Gus", author_email="gus@troll.example",
                 ip_address="203.0.113.7")  # fmt: skip
    near = post(article, "Second.", author_name="Gustav", ip_address="203.0.113.70")
    hebrew = post(article, "שלום לכולם, מה שלומכם?")
    assert listed(staff.get("/moderation/", {"q": "gus"}).content.decode()) == [near.pk, troll.pk]
    assert listed(staff.get("/moderation/", {"q": "TROLL.example"}).content.decode()) == [troll.pk]
    assert listed(staff.get("/moderation/", {"q": "203.0.113.7"}).content.decode()) == [troll.pk]
    assert listed(staff.get("/moderation/", {"q": "מה שלומכם"}).content.decode()) == [hebrew.pk]


@pytest.mark.parametrize(
    "query", ["%", "_", "\\", "' OR 1=1 --", "a\x00b", "x" * 500, "\u202e", "(*)", '"']
)
def test_any_text_is_searched_for_as_written_and_never_fails(staff, article, query):
    sure = post(article, 'I am 100% sure_ of it, \\o/ (*) "quoted"')
    other = post(article, "Nothing special here.")
    html = staff.get("/moderation/", {"q": query}).content.decode()
    found = listed(html)
    assert other.pk not in found  # no wildcard: % and _ are letters like any other
    if query in ("%", "_", "\\", "(*)", '"'):
        assert found == [sure.pk]
    assert len(staff.get("/moderation/", {"q": query}).context["query"]) <= 200


def test_the_pager_keeps_the_search_and_a_blank_search_is_the_queue(staff, article):
    for i in range(55):
        post(article, f"wave {i}")
    page = staff.get("/moderation/", {"q": "wave"}).content.decode()
    assert 'href="?tab=pending&amp;q=wave&amp;page=2" rel="next">' in page
    assert len(listed(staff.get("/moderation/", {"q": "wave", "page": 2}).content.decode())) == 5
    queue = staff.get("/moderation/", {"q": "   "})
    assert queue.context["query"] == "" and queue.context["listing"]


def test_readers_cannot_search_comments(client, article):
    response = client.get("/moderation/", {"q": "gus"})
    assert response.status_code == 302 and "/admin/login" in response["Location"]


def test_every_comment_on_a_story_is_listed_for_a_decision_on_all(staff, article):
    from tests.conftest import make_article

    other = make_article(title="Elsewhere", slug="elsewhere")
    flood = [post(article, f"Pile-on {i}") for i in range(3)]
    Comment.objects.filter(pk=flood[0].pk).update(status=Status.PENDING)
    spared = post(other, "Pile-on elsewhere")
    story_page = staff.get(f"/moderation/story/{article.pk}/").content.decode()
    assert f'href="/moderation/?story={article.pk}">Every comment on this story</a>' in story_page

    html = staff.get("/moderation/", {"story": article.pk}).content.decode()
    assert listed(html) == [c.pk for c in reversed(flood)]
    assert f'All comments on <a href="{article.get_absolute_url()}">Hello world</a>' in html
    check_page(html)
    # Searched within the story: the phrase and the story together.
    within = staff.get("/moderation/", {"story": article.pk, "q": "pile-on 1"})
    assert listed(within.content.decode()) == [flood[1].pk]

    staff.post("/moderation/decide", {"action": "reject", "ids": [c.pk for c in flood]})
    assert set(Comment.objects.filter(article=article).values_list("status", flat=True)) == {
        Status.REJECTED
    }
    assert Comment.objects.get(pk=spared.pk).status == Status.APPROVED
    article.refresh_from_db()
    assert article.comment_count == 0


def test_a_story_list_pages_and_a_bad_story_is_refused(staff, article):
    for i in range(51):
        post(article, f"comment {i}")
    page = staff.get("/moderation/", {"story": article.pk}).content.decode()
    assert f'href="?tab=pending&amp;story={article.pk}&amp;page=2" rel="next">' in page
    assert staff.get("/moderation/", {"story": 999_999}).status_code == 404
    assert staff.get("/moderation/", {"story": "x"}).context["listing"]  # not an id: the queue
