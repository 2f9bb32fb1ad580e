"""The search page: what it finds, in which order, how it pages and marks matches, and
what it says to a query it cannot search for. Run on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag
from broadsheet.search import query
from broadsheet.search.query import MAX_LENGTH, MAX_WORDS
from tests.conftest import make_article
from tests.search.conftest import found, search, titles
from tests.test_html import check_page

pytestmark = pytest.mark.django_db


def ago(**delta) -> timezone.datetime:
    return timezone.now() - timedelta(**delta)


# Ranking


def test_a_headline_match_ranks_above_a_body_match_even_an_older_one(client):
    make_article(
        title="Ferry timetable changes", slug="body", published_at=ago(hours=1),
        body="The harbour master said the harbour would close. Harbour fees rise; "
        "the harbour café stays open.",
    )  # fmt: skip
    make_article(
        title="The harbour reopens", slug="headline", published_at=ago(days=30),
        body="Boats are back.",
    )  # fmt: skip
    assert found(client, "harbour") == ["The harbour reopens", "Ferry timetable changes"]


def test_a_summary_match_ranks_above_a_body_match(client):
    make_article(title="One", slug="one", body="A word about tides.", published_at=ago(hours=1))
    make_article(
        title="Two", slug="two", summary="All about tides.", body="Nothing.",
        published_at=ago(days=9),
    )  # fmt: skip
    assert found(client, "tides") == ["Two", "One"]


def test_among_equal_matches_the_newer_comes_first(client):
    for slug, when in (("old", ago(days=3)), ("new", ago(hours=2)), ("mid", ago(days=1))):
        make_article(title=f"Budget vote ({slug})", slug=slug, body="Same words.",
                     published_at=when)  # fmt: skip
    # Equal headlines of equal length, equal bodies: the newest first.
    assert found(client, "budget") == [
        "Budget vote (new)",
        "Budget vote (mid)",
        "Budget vote (old)",
    ]


def test_every_word_must_be_found(client):
    make_article(title="Council votes on the bridge", slug="both")
    make_article(title="Council votes on the budget", slug="one")
    assert found(client, "bridge council") == ["Council votes on the bridge"]
    assert found(client, "bridge council lighthouse") == []


def test_the_last_word_also_finds_longer_words_that_begin_with_it(client):
    make_article(title="Lighthouse keepers of Saltby", slug="keepers")
    assert found(client, "lighthou") == ["Lighthouse keepers of Saltby"]
    # Only the last word: an earlier one must be whole.
    assert found(client, "lighthou saltby") == []
    assert found(client, "saltby lighthou") == ["Lighthouse keepers of Saltby"]
    # Two letters are too few to stand for longer words.
    assert found(client, "li") == []


def test_the_section_tags_and_byline_are_searched(client):
    author = Author.objects.create(name="Dana Writer", slug="dana")
    section = Section.objects.create(name="Harbourside", slug="harbourside")
    tag = Tag.objects.create(name="Lighthouses", slug="lighthouses")
    make_article(title="A quiet week", slug="quiet", author=author, section=section, tags=[tag])
    for q in ("dana writer", "harbourside", "lighthouses"):
        assert found(client, q) == ["A quiet week"], q


# What readers may see


def test_drafts_and_scheduled_articles_are_never_found(client, admin_client):
    make_article(title="Lighthouse draft", slug="draft", status=Article.Status.DRAFT,
                 published_at=None)  # fmt: skip
    make_article(title="Lighthouse tomorrow", slug="later", status=Article.Status.SCHEDULED,
                 published_at=timezone.now() + timedelta(days=1))  # fmt: skip
    make_article(title="Lighthouse today", slug="live")
    assert found(client, "lighthouse") == ["Lighthouse today"]
    # Staff preview drafts on their pages; the search is the readers' all the same.
    assert found(admin_client, "lighthouse") == ["Lighthouse today"]
    assert Article.objects.filter(search_document__isnull=False).count() == 3


def test_a_scheduled_article_is_found_once_its_time_has_come(client):
    article = make_article(title="Embargoed report", slug="report",
                           status=Article.Status.SCHEDULED,
                           published_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    assert found(client, "embargoed") == []
    # Its time comes (no job runs: the search asks for articles whose time has come).
    Article.objects.filter(pk=article.pk).update(published_at=ago(minutes=1))
    assert Article.objects.get(pk=article.pk).status == Article.Status.SCHEDULED
    assert found(client, "embargoed") == ["Embargoed report"]


def test_an_unpublished_article_disappears_at_once(client):
    article = make_article(title="Retracted claim", slug="retracted")
    assert found(client, "retracted") == ["Retracted claim"]
    actions.unpublish(article)
    assert found(client, "retracted") == []
    actions.publish(article)
    assert found(client, "retracted") == ["Retracted claim"]


# Languages and characters


@pytest.mark.parametrize(
    "title, queries",
    [
        ("Café society in Zürich", ["cafe", "CAFÉ", "zurich", "ZÜRICH", "Café"]),
        ("Naïve coöperation", ["naive", "cooperation"]),
        ("שָׁלוֹם עֲלֵיכֶם", ["שלום", "שָׁלוֹם", "עליכם"]),  # with and without vowel points
        ("ירושלים של זהב", ["ירושלים", "יְרוּשָׁלַיִם"]),
        ("مَرْحَبًا بِكُمْ", ["مرحبا", "مـرحـبا", "مَرْحَبًا"]),  # short vowels, tatweel
        ("Straße und Fluß", ["strasse", "STRASSE"]),
        ("ﬁnal ｆｕｌｌｗｉｄｔｈ", ["final", "fullwidth"]),  # a ligature, full-width letters
        ("Fireworks 🎉 tonight", ["fireworks 🎉", "🎉 tonight"]),
    ],
)
def test_case_accents_and_vowel_points_are_set_aside(client, title, queries):
    make_article(title=title, slug="the-one")
    make_article(title="Something else entirely", slug="other")
    for q in queries:
        status, page = search(client, q)
        assert status == 200
        assert titles(page) == [title], q
        assert title.split()[0] in page or "<mark>" in page  # every character survives


def test_hebrew_and_arabic_words_are_found_in_the_body_and_marked(client):
    make_article(
        title="Two languages", slug="two",
        body="הכנסת אישרה את התקציב.\n\nوافق البرلمان على الميزانية.",
    )  # fmt: skip
    _status, page = search(client, "התקציב")
    assert titles(page) == ["Two languages"]
    assert "<mark>התקציב</mark>" in page
    _status, page = search(client, "الميزانية")
    assert titles(page) == ["Two languages"]
    assert "<mark>الميزانية</mark>" in page


def test_emoji_survive_and_a_query_of_emoji_alone_is_explained(client):
    make_article(title="Party 🎉 on the pier 🇮🇱", slug="party")
    _status, page = search(client, "pier")
    assert "Party 🎉 on the <mark>pier</mark> 🇮🇱" in page
    status, page = search(client, "🎉🎉")
    assert status == 200
    assert "punctuation, symbols and emoji are not searched for" in page
    assert titles(page) == []


def test_a_query_of_words_too_long_to_be_indexed_says_so(client):
    make_article(title="Harbour", slug="harbour")
    status, page = search(client, "x" * 101)
    assert status == 200 and titles(page) == []
    assert "Words longer than 100 characters are not searched for" in page
    assert "punctuation" not in page


# Hostile and odd input

HOSTILE = [
    '"', '""', '"unclosed', "*", "a*", "**", "-", "-a", "a -b", ":", "title:x", "body:a",
    "(", ")", "(a", "a)", "()", "NEAR", "NEAR(a b)", "NEAR(a b, 2)", "a NEAR b", "AND",
    "OR", "NOT", "a OR b", "a AND NOT b", "^a", "+a", "{a b}", "a:*", "a & b", "a | b",
    "!a", "a <-> b", "'", "''", "\\", "\\'", "%", "_", "%_%", "' OR 1=1 --",
    "'; DROP TABLE newsroom_article; --", "\"; DELETE FROM newsroom_article; --",
    "1; SELECT 1", "a'b\"c", "<script>alert(1)</script>", "&amp;", "\u202e\u202d",
    "\u200b", "\ufeff", "\x00", "a\x00b", "\x01\x02", "\t\n\r", " " * 50, "ك\u0640\u0640",
    "𝕬𝖇𝖈", "🇮🇱", "🏳️‍🌈", "a" * 150, "é" * 199, "x " * 99,
    # Quotes, open, closed and nested, around words of any script.
    '"harbour the"', '"the harbour', 'harbour"', '"""', '"a" "b"', "“unbalanced",
    "״", 'צה"ל"', '"שלום עולם', '"near" "the"', 'a"b"c', '"-"', '"*"', '"(a b)"',
    '"a|b c"', '"a.b c"', '"a\\b"', '"harb*"', '"x" ' * 20, '"' + "near the " * 11,
    # Operators of FTS5 and of PostgreSQL's tsquery, and LIKE's and regexps'.
    "*harbour*", "harb*", "NEAR(\"a\" \"b\")", 'a AND b OR c NOT d', '"AND"', '"OR NOT"',
    "harbour:*", "harbour <2> sea", "harbour & !sea", "[a-z]+", "(?i)a", "a{2,}", "$^",
    "a.*b", "\\d", "%harbour%", "har_our",
    # Mixed scripts and directions, marks, compatibility forms, numbers.
    "עברית English מעורב", "harbour\u200fנמל\u200e", "\u202bنص\u202c text", "מ״מ 5%",
    "ﷺ", "ⅷ", "½ 1.5 2,000", "l’harbour o'neil", "co-op- --", "e\u0301", "\u0301",
    "İstanbul ß ﬁ Ⓐ", "a\u00adb", "ו ה ב", "ובלכשמה", "ال", "والل", "🙂 harbour",
    "harbour🙂sea", '"🙂 harbour"', "👍🏽" * 30, "ה" * 101, "near " * 12 + "harbour",
]  # fmt: skip


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_fail_and_change_nothing(client, q):
    make_article(title="Near the harbour, not far", slug="near", body="Or the sea and the body.")
    before = Article.objects.count()
    status, page = search(client, q)
    assert status in (200, 400)
    check_page(page)
    assert Article.objects.count() == before
    assert "Server Error" not in page


def test_query_syntax_words_are_searched_as_words(client):
    make_article(title="Near the harbour, not far", slug="near")
    make_article(title="The harbour", slug="harbour")
    assert found(client, "NEAR harbour") == ["Near the harbour, not far"]
    assert found(client, "harbour OR lighthouse") == []  # OR is a word, not "either"
    assert found(client, 'harbour "far"') == ["Near the harbour, not far"]
    assert found(client, "-near harbour") == ["Near the harbour, not far"]  # no exclusion
    assert found(client, "harbour -far") == ["Near the harbour, not far"]


def test_words_in_quotes_are_found_side_by_side(client):
    make_article(title="Flood barrier holds", slug="together", published_at=ago(days=1))
    make_article(title="The barrier against the flood waters", slug="apart")
    both = {"The barrier against the flood waters", "Flood barrier holds"}
    assert set(found(client, "flood barrier")) == both
    for q in ('"flood barrier"', "“flood barrier”", "„flood barrier“", '"flood barrier'):
        assert found(client, q) == ["Flood barrier holds"], q
    assert found(client, '"barrier flood"') == []
    # In quotes the last word is typed whole: not the beginning of longer words.
    assert found(client, '"flood barr"') == []
    assert found(client, '"flood barrier" waters') == []
    _status, page = search(client, '"flood barrier"')
    assert "<mark>Flood</mark> <mark>barrier</mark> holds" in page


def test_a_word_typed_only_in_a_phrase_is_marked_only_where_the_phrase_stands(client):
    make_article(
        title="Wrenmouth’s harbour reopens",
        slug="wrenmouth",
        summary="The marina’s pier and Wrenmouth stand again.",
        body="Wrenmouth's fishermen cheered; the ferry’s horn sounded for 5 s.",
    )
    for q in ("Wrenmouth’s", "Wrenmouth's", '"wrenmouth s"'):
        _status, page = search(client, q)
        assert page.count("<mark>") == 4, q
        assert "<mark>Wrenmouth</mark>’<mark>s</mark> harbour" in page, q
        assert "<mark>Wrenmouth</mark>&#x27;<mark>s</mark> fishermen" in page, q
        assert "marina’s pier and Wrenmouth stand" in page, q
    # Typed alone as well, a word is marked wherever it stands.
    _status, page = search(client, "Wrenmouth’s wrenmouth")
    assert "pier and <mark>Wrenmouth</mark> stand" in page


def test_a_phrase_with_a_common_word_finds_that_word_where_it_was_typed(client):
    # PostgreSQL's English drops "the" and "of" from its index and its queries: the
    # phrase is still found only as typed, as on SQLite.
    make_article(title="Harbour the boats", slug="harbour-the", published_at=ago(days=1))
    make_article(title="The harbour reopens", slug="the-harbour", published_at=ago(days=2))
    make_article(title="Harbour of refuge", slug="harbour-of", published_at=ago(days=3))
    make_article(title="Flood the barrier", slug="flood-the", published_at=ago(days=4))
    make_article(title="Flood of barrier", slug="flood-of")
    assert found(client, '"harbour the"') == ["Harbour the boats"]
    assert found(client, '"the harbour"') == ["The harbour reopens"]
    assert found(client, '"harbour of"') == ["Harbour of refuge"]
    assert found(client, '"flood the barrier"') == ["Flood the barrier"]
    assert found(client, "harbour-of") == ["Harbour of refuge"]
    assert found(client, '"harbour the" "the boats"') == ["Harbour the boats"]


def test_a_phrase_of_common_words_alone_is_found_on_sqlite_only(client):
    make_article(title="To be or not to be", slug="hamlet")
    # PostgreSQL's English index holds none of these words (docs/reading.md).
    expected = [] if connection.vendor == "postgresql" else ["To be or not to be"]
    assert found(client, '"to be or not to be"') == expected
    assert found(client, '"not to be"') == expected


def test_a_phrase_finds_its_words_as_typed_on_either_database(client):
    # PostgreSQL stems English words, and finds "voted" for "voting" alone; in quotes,
    # the words typed.
    make_article(title="Voting rights bill passes", slug="voting", published_at=ago(days=1))
    make_article(title="They voted; rights groups cheered", slug="voted")
    assert found(client, '"voting rights"') == ["Voting rights bill passes"]
    assert found(client, '"voted rights"') == ["They voted; rights groups cheered"]


@pytest.mark.parametrize("strings", [None, 1])
def test_every_word_of_a_hebrew_phrase_is_found_with_its_prefixes(client, monkeypatch, strings):
    # Found as FTS5 strings or, past PHRASE_STRINGS combinations, by the document's text.
    if strings:
        monkeypatch.setattr(query, "PHRASE_STRINGS", strings)
    make_article(title="בית המשפט העליון דן בעתירה", slug="court", published_at=ago(days=1))
    make_article(title="פסק הדין בבית המשפט", slug="ruling", published_at=ago(days=2))
    make_article(title="משפט אחד נכתב בבית", slug="apart")
    expected = {"בית המשפט העליון דן בעתירה", "פסק הדין בבית המשפט"}
    for q in ('"בית משפט"', "בית-משפט", '"בית המשפט"', '"בבית המשפט"'):
        assert set(found(client, q)) == expected, q
    assert found(client, '"משפט בית"') == []
    assert found(client, '"בית משפט" "המשפט העליון"') == ["בית המשפט העליון דן בעתירה"]
    _status, page = search(client, '"בית משפט"')
    assert "<mark>בבית</mark> <mark>המשפט</mark>" in page


def test_words_joined_by_punctuation_are_found_side_by_side(client):
    make_article(title="The co-op opens", slug="co-op", published_at=ago(days=1))
    make_article(title="Co-workers write an op-ed", slug="apart")
    assert set(found(client, "co op")) == {"Co-workers write an op-ed", "The co-op opens"}
    assert found(client, "co-op") == ["The co-op opens"]
    assert found(client, "CO–OP") == ["The co-op opens"]


def test_a_hebrew_phrase_or_abbreviation_is_found_side_by_side(client):
    make_article(title="טיסה לתל-אביב", slug="tel-aviv", published_at=ago(days=1))
    make_article(title="אביב בתל חי", slug="spring")
    make_article(title='ארה"ב שלחה משלחת', slug="usa", published_at=ago(days=1))
    make_article(title="ב אולם הייתה הארה", slug="hall")
    # A phrase's words are found with their prefixes (לתל).
    assert found(client, "תל-אביב") == ["טיסה לתל-אביב"]
    assert found(client, '"תל אביב"') == ["טיסה לתל-אביב"]
    # An abbreviation's quote is inside a word, not a quotation: its letters stand
    # side by side, as the article wrote them.
    for q in ('ארה"ב', "ארה״ב"):
        assert found(client, q) == ['ארה"ב שלחה משלחת'], q


def test_bytes_that_are_not_utf8_do_not_fail(client):
    response = client.get("/search/?q=%ff%fe%ED%A0%80harbour")
    assert response.status_code == 200
    check_page(response.content.decode())


def test_an_empty_query_says_what_to_do(client):
    for q in ("", "   ", "\x00\x00"):
        status, page = search(client, q)
        assert status == 200
        assert "Type one or more words in the search box" in page
        check_page(page)


def test_a_query_too_long_is_refused_with_a_message(client, site, django_assert_max_num_queries):
    make_article(title="Harbour", slug="harbour")
    with django_assert_max_num_queries(3):  # the page's own; no search
        status, page = search(client, "harbour " * 40)
    assert status == 400
    assert f"shorten it to {MAX_LENGTH} characters or fewer" in page
    check_page(page)
    # As long as the box allows: searched.
    assert search(client, "harbour".ljust(MAX_LENGTH, " "))[0] == 200
    assert f'maxlength="{MAX_LENGTH}"' in page


def test_words_past_the_limit_are_not_searched_and_the_reader_is_told(client):
    make_article(title="w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11", slug="many")
    words = " ".join(f"w{i}" for i in range(MAX_WORDS + 3))
    _status, page = search(client, words)
    assert titles(page) == ["w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11"]
    assert f"Only the first {MAX_WORDS} words were searched for." in page


def test_the_query_is_shown_back_escaped_in_the_box_and_heading(client):
    _status, page = search(client, '<b>"bold"</b> & co')
    assert 'value="&lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; co"' in page
    assert "<bdi>&lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; co</bdi>" in page
    assert "<b>" not in page


# The results page


def test_results_show_the_dateline_summary_count_and_a_marked_excerpt(client, article):
    article.summary = "A bridge for the harbour."
    article.body = (
        "Words before. " * 20 + "The **harbour** bridge opens <on> Friday & everyone "
        "is invited. " + "Words after. " * 30
    )
    actions.save_article(article)
    _status, page = search(client, "harbour bridge")
    doc = check_page(page)
    assert titles(page) == ["Hello world"]
    assert '<p class="dateline"><time datetime=' in page
    assert '<a href="/article/hello-world/#respond">Leave a comment</a>' in page
    assert '<a href="/author/dana-writer/">Dana Writer</a>' in page
    assert "A <mark>bridge</mark> for the <mark>harbour</mark>." in page
    excerpt = doc.find(".//p[@class='excerpt']")
    assert excerpt is not None
    text = "".join(excerpt.itertext())
    assert text.startswith("… ") and text.endswith(" …")
    assert "The harbour bridge opens <on> Friday & everyone" in text
    assert [m.text for m in excerpt.iter("mark")] == ["harbour", "bridge"]
    assert "One article found." in page


def test_markup_in_articles_is_shown_as_text(client):
    make_article(title="<script>alert('x')</script> harbour", slug="script",
                 summary="<img src=x onerror=alert(1)> harbour")  # fmt: skip
    _status, page = search(client, "harbour")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>harbour</mark>" in page


def test_results_are_paged_as_archives_are(client, settings):
    settings.BROADSHEET_ARTICLES_PER_PAGE = 10
    for i in range(23):
        make_article(title=f"Tide table {i:02}", slug=f"tide-{i}", published_at=ago(hours=i + 1))
    make_article(title="Unrelated", slug="unrelated")
    seen = []
    for number in (1, 2, 3):
        _status, page = search(client, "tide table", page=number)
        assert "23 articles found." in page
        assert f"Page {number} of 3" in page
        check_page(page)
        seen += titles(page)
    assert seen == [f"Tide table {i:02}" for i in range(23)]
    _status, page = search(client, "tide table", page=2)
    assert 'href="?q=tide+table&amp;page=1" rel="prev"' in page
    assert 'href="?q=tide+table&amp;page=3" rel="next"' in page
    # Past the end, or not a number: the last page, the first, as archives answer.
    assert titles(search(client, "tide table", page=99)[1]) == seen[20:]
    assert titles(search(client, "tide table", page="x")[1]) == seen[:10]


def test_no_results_says_so(client):
    make_article(title="Harbour", slug="harbour")
    status, page = search(client, "lighthouse")
    assert status == 200
    assert "No published article holds all of these words." in page
    assert "0 articles found." in page
    check_page(page)


def test_a_results_page_costs_a_few_queries_whatever_it_lists(
    client, site, settings, django_assert_max_num_queries
):
    settings.BROADSHEET_ARTICLES_PER_PAGE = 10
    author = Author.objects.create(name="Sam", slug="sam")
    section = Section.objects.create(name="City", slug="city")
    for i in range(12):
        make_article(title=f"Quay {i}", slug=f"quay-{i}", author=author, section=section)
    # Site settings, the section menu, the count, the page, and on PostgreSQL the stems
    # and the planner set to the index and back around the count and the page.
    with django_assert_max_num_queries(5 if connection.vendor == "sqlite" else 9):
        _status, page = search(client, "quay")
    assert len(titles(page)) == 10


def test_results_are_cacheable_and_revalidated_and_kept_out_of_search_engines(client):
    make_article(title="Harbour", slug="harbour")
    response = client.get("/search/", {"q": "harbour"})
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert response["ETag"]
    again = client.get("/search/", {"q": "harbour"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "Disallow: /search/" in client.get("/robots.txt").content.decode()
    # A new article changes the page, and so its ETag.
    make_article(title="Harbour two", slug="harbour-two")
    third = client.get("/search/", {"q": "harbour"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert third.status_code == 200


def test_too_many_searches_from_one_address_are_asked_to_wait(client, settings):
    settings.BROADSHEET_RATE_LIMIT = "on"
    settings.BROADSHEET_SEARCHES_PER_MINUTE = 3
    make_article(title="Harbour", slug="harbour")
    for _ in range(3):
        assert search(client, "harbour")[0] == 200
    # An empty search searches nothing, and is not counted.
    assert search(client, "")[0] == 200
    response = client.get("/search/", {"q": "harbour"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]
    assert "Too many searches from your address" in response.content.decode()
    check_page(response.content.decode())
    # Another address is not held back.
    assert Client(REMOTE_ADDR="192.0.2.9").get("/search/", {"q": "harbour"}).status_code == 200


def test_a_hebrew_site_searches_in_hebrew_right_to_left(client):
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    make_article(title="הגשר החדש נפתח", slug="bridge", summary="סיפור על הגשר.")
    _status, page = search(client, "הגשר")
    assert '<html lang="he" dir="rtl">' in page
    assert "<bdi>הגשר</bdi>" in page
    assert "<mark>הגשר</mark> החדש נפתח" in page
    assert "נמצאה כתבה אחת." in page
    check_page(page)
    _status, page = search(client, "")
    assert "יש להקליד מילה אחת או יותר בתיבת החיפוש" in page


def test_no_script_attack_runs_from_a_query_or_a_found_article(client):
    """The attack corpus, as queries and as the headline and summary a search marks."""
    from tests.attacks import breakouts, corpus, script_risks

    texts = [attack.text for attack in corpus()] + breakouts()
    for n, text in enumerate(texts[::20]):
        make_article(title=f"{text[:250]} harbour", slug=f"attack-{n}", summary=f"{text} harbour")
    risky = {}
    for text in [*texts[::7], "harbour"]:
        response = client.get("/search/", {"q": text[:MAX_LENGTH]})
        assert response.status_code == 200
        if risks := script_risks(response.content.decode()):
            risky[text] = risks
    assert not risky
    assert len(titles(search(client, "harbour")[1])) == 10
