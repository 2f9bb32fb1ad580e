"""Moderators find comments by what they say or who sent them, in every status, and
act on all of them at once: a spam wave the filter let through, taken down together."""

from __future__ import annotations

import pytest
from django.db import connection

from broadsheet.discussion.models import Comment
from broadsheet.moderation.models import AuditEntry
from tests.conftest import make_article, post
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
    # A Hebrew search on an English site reads right to left in its box, as the readers' does.
    assert 'id="mod-search-q" value="wave" maxlength="200" dir="auto"' in page
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
    link = f'<a href="{article.get_absolute_url()}" dir="auto">Hello world</a>'
    assert f"All comments on {link}" in html
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


# Comments in many scripts and shapes, and what a search for each query lists: the
# comments holding it in their text, name, e-mail or website, letter case aside for
# every letter that has a case (on SQLite as on PostgreSQL), newest first.
CORPUS = [
    {"body": "Élection results: the COUNCIL voted.", "author_name": "Zoë O'Brien"},
    {"body": "the élection was rigged", "author_email": "zoe.obrien@example.org"},
    {"body": "ПРИВЕТ всем, Straße closed", "author_url": "https://école.example.org/"},
    {"body": "שלום לכולם, מה שלומכם?", "author_name": "יוסי"},
    {"body": "مرحبا بالجميع", "author_name": "أحمد"},
    {"body": "great 🙄 stuff, 👍🏽 agreed"},
    {"body": '100% sure_ of it, \\o/ (*) "quoted" it\'s [x] a*b? ok'},
    {"body": "line one\nline two", "author_name": "OK Computer"},
    {"body": "Menu: café* [é?] crème", "author_name": "Σοφία"},
]
QUERIES = [
    "élection", "ÉLECTION", "Élec", "council", "привет", "ВСЕМ", "straße", "STRASSE",
    "zoë", "ZOË", "o'brien", "zoe.obrien@", "école", "ÉCOLE", "שלום", "מה שלומכם", "ש",
    "بالجميع", "🙄", "🙄 stuff", "👍🏽", "👍", "%", "100%", "_", "sure_", "\\o/", "(*)",
    '"quoted"', "it's", "[x]", "a*b?", "*", "?", "[", "ok", "é", "É", "e o", "line one line",
    "é*", "[é", "É?]", "]", "σοφία", "ΣΟΦ", "CRÈME",
]  # fmt: skip


def _holds(value: str, query: str) -> bool:
    def upper(text: str) -> str:
        return "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in text)

    return upper(query) in upper(value)


def _expected(posted: list[Comment], query: str) -> list[int]:
    fields = ("body", "author_name", "author_email", "author_url")
    return [c.pk for c in reversed(posted) if any(_holds(getattr(c, f), query) for f in fields)]


def test_every_letter_is_found_whatever_its_case_and_every_character_as_written(staff, article):
    posted = [post(article, **fields) for fields in CORPUS]
    for query in QUERIES:
        got = listed(staff.get("/moderation/", {"q": query}).content.decode())
        assert got == _expected(posted, query), query


def test_a_story_is_searched_alike_through_the_index_and_comment_by_comment(
    staff, article, monkeypatch
):
    """On SQLite a small story's comments are read one by one, a large one's found
    through the index: the same comments either way."""
    posted = [post(article, **fields) for fields in CORPUS]
    post(make_article(title="Elsewhere", slug="elsewhere"), "Élection, ok, 🙄, 100%")
    for read_up_to in (10_000, 0):
        monkeypatch.setattr("broadsheet.discussion.indexing.READ_UP_TO", read_up_to)
        for query in QUERIES:
            page = staff.get("/moderation/", {"q": query, "story": article.pk})
            assert listed(page.content.decode()) == _expected(posted, query), (query, read_up_to)


def _plans(run, query: str) -> list[str]:
    """The plans of the search's queries (its count and its page: those given ``query``)
    that ``run`` makes, read back with EXPLAIN."""
    plans: list[str] = []
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"

    def explained(execute, sql, params, many, context):
        searching = any(isinstance(p, str) and query in p for p in params or ())
        if searching and sql.startswith("SELECT") and ("COUNT(*)" in sql or "ORDER BY" in sql):
            with connection.cursor() as cursor:
                cursor.execute(f"{explain} {sql}", params)
                plans.append("\n".join(str(row[-1]) for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explained):
        run()
    return plans


FIRST = ["Dana", "Avi", "Maria", "John", "Fatima", "Noa", "Pierre", "Olga", "Kenji", "Amara"]
LAST = ["Okafor", "Cohen", "Novak", "Smith", "Haddad", "Levi", "Dubois", "Petrova", "Sato"]
DOMAINS = ["example.org", "mail.example.com", "post.example.net", "harbour.example"]
SAYINGS = [
    "I think the council got this one wrong.", "My street has waited two years for repairs.",
    "Source? The report says otherwise.", "Same promises, same result.",
    "Who pays for it in the end?", "The photos are lovely.", "Thanks for covering this.",
]  # fmt: skip


# PostgreSQL's ways of reading a table whole, or an index whole.
SCANS = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")


@pytest.fixture
def crowd(article) -> list[Comment]:
    """5,000 comments of many authors, most on three other stories, a few about the ferry,
    ready to be searched (on PostgreSQL, as autovacuum leaves them after many rows are
    written: the trigram indexes' new entries merged from their pending lists, the
    statistics made)."""
    others = [make_article(title=f"Story {n}", slug=f"story-{n}") for n in range(3)]
    made = []
    for n in range(5000):
        first, last = FIRST[n % len(FIRST)], LAST[n // len(FIRST) % len(LAST)]
        email = f"{first}.{last}{n // 90}@{DOMAINS[n % len(DOMAINS)]}".lower()
        ferry = "The ferry timetable changed. " if n % 500 == 0 else ""
        body = ferry + " ".join(SAYINGS[(n + k) % len(SAYINGS)] for k in range(n % 3 + 4))
        made.append(
            Comment(
                article=article if n % 4 == 0 else others[n % 3], status=Status.APPROVED,
                author_name=f"{first} {last}", author_email=email,
                ip_address=f"198.51.{n // 250}.{n % 250}", body=body, body_html=f"<p>{body}</p>",
                user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            )
        )  # fmt: skip
    Comment.objects.bulk_create(made)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class i "
                "ON i.oid = indexrelid JOIN pg_am ON pg_am.oid = i.relam "
                "WHERE indrelid = 'discussion_comment'::regclass AND amname = 'gin'"
            )
            cursor.execute("ANALYZE discussion_comment")
    return made


def test_the_search_reads_the_index_not_every_comment(staff, article, crowd):
    """A phrase, a name, an e-mail address or an IP address is found through the index
    (FTS5 on SQLite, pg_trgm on PostgreSQL), alone or within a story, for the count
    and the page: each query's plan is read back with EXPLAIN."""
    made = crowd
    # A name some comments hold is not looked for by reading every comment newest
    # first (PostgreSQL misjudged how many it would find, and read half of them).
    plans = _plans(lambda: staff.get("/moderation/", {"q": "Noa Sato"}), "Noa Sato")
    assert "comment_newest_idx" not in plans[1], plans[1]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # On a few thousand comments the planner may find reading them all (or
            # all of an index, in order) cheaper than reading four trigram indexes (on
            # 100,000 it reads those: the benchmark in docs/moderation.md); told not
            # to, it shows that the indexes serve the search's own expressions.
            for scan in SCANS:
                cursor.execute(f"SET {scan} = off")
    searches = [
        ({"q": "ferry timetable"}, lambda c: "ferry timetable" in c.body),
        ({"q": "Noa Sato"}, lambda c: c.author_name == "Noa Sato"),
        ({"q": made[1234].author_email}, lambda c: c.author_email == made[1234].author_email),
        ({"q": "198.51.4.7"}, lambda c: c.ip_address == "198.51.4.7"),
        ({"q": "ferry timetable", "story": article.pk},
         lambda c: c.article == article and "ferry timetable" in c.body),
    ]  # fmt: skip
    for params, holds in searches:
        plans = _plans(lambda p=params: staff.get("/moderation/", p), params["q"])
        assert len(plans) == 2, plans  # the count and the page
        for plan in plans:
            assert "SCAN discussion_comment\n" not in f"{plan}\n", (params, plan)  # SQLite
            assert "Seq Scan on discussion_comment" not in plan, (params, plan)  # PostgreSQL
            # Within a story, its own comments alone may be read instead.
            story = "story" in params and ("(article_id=?)" in plan or "(article_id =" in plan)
            index = "VIRTUAL TABLE INDEX" if connection.vendor == "sqlite" else "_trgm_idx"
            assert index in plan or story, (params, plan)
        expected = [c.pk for c in reversed(made) if holds(c)][:50]
        assert expected
        assert listed(staff.get("/moderation/", params).content.decode()) == expected
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for scan in SCANS:
                cursor.execute(f"RESET {scan}")


def test_a_phrase_most_comments_hold_is_paged_newest_first_through_an_index(staff, crowd):
    """Its matches are not all sorted: the comments are read newest first (an index)
    and each checked until the page is full, on any page."""
    query = "the council"
    expected = [c.pk for c in reversed(crowd) if query in c.body]
    assert len(expected) > 2000
    for page in (1, 3):
        params = {"q": query, "page": page}
        plans = _plans(lambda p=params: staff.get("/moderation/", p), query)
        assert len(plans) == 2, plans  # the count and the page
        assert "comment_newest_idx" in plans[1], plans[1]
        if connection.vendor == "sqlite":  # counted in the full-text index alone
            assert "SCAN discussion_comment_fts VIRTUAL TABLE INDEX 0:M4" in plans[0], plans[0]
            assert "SCAN discussion_comment\n" not in f"{plans[0]}\n", plans[0]
        shown = listed(staff.get("/moderation/", params).content.decode())
        assert shown == expected[(page - 1) * 50 : page * 50]


def test_many_matches_are_counted_so_far_and_every_page_is_reached(staff, article, monkeypatch):
    """A phrase most comments hold is not counted to the end: the page says "more than"
    and offers the next page, which counts further, up to the last."""
    from broadsheet.moderation.views import decisions

    monkeypatch.setattr(decisions, "COUNT_UP_TO", 5)
    monkeypatch.setattr(decisions, "QUEUE_PAGE_SIZE", 5)
    # Whatever the ids (PostgreSQL's go on from earlier tests), no further count for
    # choosing how to read the page.
    monkeypatch.setattr(decisions.indexing, "in_order_from", lambda upto: upto)
    wave = [post(article, f"Visit the casino {i}") for i in range(12)]
    post(article, "Nothing to see.")
    first = staff.get("/moderation/", {"q": "casino"}).content.decode()
    assert "More than 5 comments." in first
    assert "<span>Page 1</span>" in first and 'rel="next"' in first
    newest = [c.pk for c in reversed(wave)]
    assert listed(first) == newest[:5]
    pages = [staff.get("/moderation/", {"q": "casino", "page": n}).content.decode() for n in (2, 3)]
    assert listed(pages[0]) == newest[5:10] and listed(pages[1]) == newest[10:]
    # The last page counted them all.
    assert "12 comments." in pages[1] and "Page 3 of 3" in pages[1]
    assert 'rel="next"' not in pages[1]


def test_a_storys_matches_are_counted_no_further_than_the_page_needs(staff, article, monkeypatch):
    """Within a story, whose comments are read one by one and sorted, the count stops
    at COUNT_UP_TO: it went on as far as choosing to read the site's comments newest
    first needs (7,073 of a story's 20,000 among 1,000,000 comments, 156 ms on
    PostgreSQL, where 1,001 take 16), a choice a story's search never makes."""
    from broadsheet.moderation.views import decisions

    monkeypatch.setattr(decisions, "COUNT_UP_TO", 5)
    monkeypatch.setattr(decisions, "QUEUE_PAGE_SIZE", 5)
    # As on a big site: reading newest first pays from 10 matches up.
    monkeypatch.setattr(decisions.indexing, "in_order_from", lambda upto: 10)
    wave = [post(article, f"Visit the casino {i}") for i in range(12)]
    post(make_article(title="Elsewhere", slug="elsewhere"), "Visit the casino too")
    params = {"q": "casino", "story": article.pk}
    first = staff.get("/moderation/", params).content.decode()
    assert "More than 5 comments." in first
    newest = [c.pk for c in reversed(wave)]
    assert listed(first) == newest[:5]
    last = staff.get("/moderation/", {**params, "page": 3}).content.decode()
    assert listed(last) == newest[10:] and "12 comments." in last


def test_a_phrase_the_index_cannot_find_is_looked_for_among_the_latest(staff, article, monkeypatch):
    from broadsheet.discussion import indexing

    monkeypatch.setattr(indexing, "SHORT_AMONG", 3)
    said = [post(article, f"ok then {i}") for i in range(3)]
    newest = [post(article, "Fine."), *(post(article, f"ok again {i}") for i in range(2))]
    html = staff.get("/moderation/", {"q": "ok"}).content.decode()
    assert listed(html) == [newest[2].pk, newest[1].pk]
    assert "2 comments. Among the latest 3 comments only" in html
    # Three letters: the index finds them all, and the page says nothing of the latest.
    html = staff.get("/moderation/", {"q": "ok then"}).content.decode()
    assert listed(html) == [c.pk for c in reversed(said)]
    assert "Among the latest" not in html


def test_a_page_number_too_long_for_a_number_is_a_page_of_the_search(staff, article):
    """A page number of thousands of digits (Python reads no more than 4,300 into an
    int) is no page number, as the pager reads it, and one of 18 digits a page past the
    end: the first page and the last, where a search failed (a server error)."""
    for i in range(3):
        post(article, f"wave {i}")
    for number in ("9" * 5000, "9" * 18):
        response = staff.get("/moderation/", {"q": "wave", "page": number})
        assert response.status_code == 200 and len(listed(response.content.decode())) == 3
