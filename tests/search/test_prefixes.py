"""Hebrew and Arabic words are found with and without the prefixes joined to them
(ירושלים and בירושלים, كتاب and والكتاب), the words as typed ranking first, without a
short word turning into noise. Run on SQLite and on PostgreSQL, which must agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from broadsheet.newsroom import actions, indexing, prefixes
from broadsheet.newsroom.models import SearchDocument, SiteSettings
from tests.conftest import make_article
from tests.search.conftest import found, search

pytestmark = pytest.mark.django_db


def ago(**delta) -> timezone.datetime:
    return timezone.now() - timedelta(**delta)


@pytest.fixture(params=["en", "he"])
def language(request) -> str:
    """The site's language: on PostgreSQL, English words are stemmed and Hebrew ones
    taken as they are ('english' and 'simple'); Hebrew is searched alike in both."""
    site = SiteSettings.load()
    site.language = request.param
    actions.save_site_settings(site)
    return request.param


def test_a_word_finds_it_with_a_prefix_and_a_prefixed_word_finds_it_without(client, language):
    make_article(title="ירושלים בשלג", slug="bare", published_at=ago(days=3))
    make_article(title="חג בירושלים", slug="in", published_at=ago(days=2))
    make_article(title="הדרך לירושלים", slug="to", published_at=ago(days=1))
    make_article(title="ומירושלים הביתה", slug="and-from", published_at=ago(hours=1))
    make_article(title="תל אביב בשלג", slug="other")
    every = {"ירושלים בשלג", "חג בירושלים", "הדרך לירושלים", "ומירושלים הביתה"}
    for q in ("ירושלים", "בירושלים", "לירושלים", "ומירושלים"):
        titles = found(client, q)
        assert set(titles) == every, q
        # The word as typed first.
        assert titles[0] == next(t for t in every if q in t.split()), q


def test_a_prefixed_word_finds_the_word_with_another_prefix_alone(client, language):
    # Neither ירושלים nor ממשלה is written bare: only with other prefixes.
    make_article(title="חג בירושלים", slug="in")
    make_article(title="ראש הממשלה", slug="government")
    assert found(client, "לירושלים") == ["חג בירושלים"]
    assert found(client, "לירושלים חג") == ["חג בירושלים"]
    assert found(client, "בממשלה") == ["ראש הממשלה"]
    assert found(client, "בממשלה ראש") == ["ראש הממשלה"]


def test_prefixes_of_two_and_three_letters_are_taken_off(client, language):
    make_article(title="כשהממשלה התכנסה", slug="when-the", body="וכשבכנסת דיברו.")
    make_article(title="Something else", slug="other", body="ממשלות וכנסיות.")
    assert found(client, "ממשלה") == ["כשהממשלה התכנסה"]
    assert found(client, "הממשלה") == ["כשהממשלה התכנסה"]
    assert found(client, "בכנסת") == ["כשהממשלה התכנסה"]
    assert found(client, "כנסת ממשלה") == ["כשהממשלה התכנסה"]


def test_the_words_as_typed_rank_above_a_prefixed_match_even_in_a_headline(client, language):
    make_article(title="בירושלים הבוקר", slug="headline", published_at=ago(hours=1))
    make_article(
        title="Morning news", slug="body", published_at=ago(days=30),
        body="נהגים בדרך אל ירושלים.",
    )  # fmt: skip
    assert found(client, "ירושלים") == ["Morning news", "בירושלים הבוקר"]
    assert found(client, "בירושלים") == ["בירושלים הבוקר", "Morning news"]


def test_a_word_that_begins_with_a_prefix_letter_is_found_as_it_is(client, language):
    # Each begins with one of ו ה ב כ ל מ ש without its being a prefix.
    make_article(title="משה ולוי", slug="moses", body="הלכו לשוק.")
    make_article(title="ברק בשמים", slug="lightning", body="שלום לכולם.")
    make_article(title="Other", slug="other", body="רק שה אחד, ים.")
    assert found(client, "משה") == ["משה ולוי"]
    assert found(client, "ברק") == ["ברק בשמים"]
    assert found(client, "שלום") == ["ברק בשמים"]
    assert found(client, "לוי") == ["משה ולוי"]  # ולוי: and Levi
    # The same words the other way: as the rest of a prefixed word they still count.
    assert found(client, "שמים") == ["ברק בשמים"]


def test_a_word_the_site_writes_after_the_article_is_not_found_by_its_ending(client, language):
    # השמים ("the sky") cannot be ה, ש ("that") and מים ("water"): no word takes ה
    # before ש, so שמים is a word of its own, and neither finds the other.
    make_article(title="מים בברז", slug="tap", published_at=ago(days=3))
    make_article(title="ומים לכולם", slug="all", published_at=ago(days=2))
    make_article(title="שמים כחולים", slug="blue", published_at=ago(days=1))
    make_article(title="השמים נקיים", slug="clear")
    assert found(client, "מים") == ["מים בברז", "ומים לכולם"]
    assert found(client, "המים") == ["ומים לכולם", "מים בברז"]
    assert found(client, "שמים") == ["שמים כחולים", "השמים נקיים"]
    assert found(client, "בשמים") == ["השמים נקיים", "שמים כחולים"]
    _status, page = search(client, "מים")
    assert "<mark>שמים</mark>" not in page and "<mark>ומים</mark> לכולם" in page


def test_a_word_the_site_writes_after_a_preposition_is_not_cut_to_its_rest(client, language):
    # הבקשה ("the request"): בקשה is a word, not ב ("in") and קשה ("hard").
    make_article(title="הבקשה נדחתה", slug="denied", published_at=ago(days=2))
    make_article(title="בקשה חדשה", slug="new", published_at=ago(days=1))
    make_article(title="יום קשה", slug="hard")
    assert found(client, "קשה") == ["יום קשה"]
    assert found(client, "בקשה") == ["בקשה חדשה", "הבקשה נדחתה"]
    assert found(client, "בקשות") == []


def test_a_word_whose_ending_is_a_word_is_still_found_as_prefixed_without_proof(client, language):
    # Where the site never writes שמים after a prefix that shows it a word, letters
    # cannot tell it from ש and מים: found, after the words as typed.
    make_article(title="שמים כחולים", slug="blue", published_at=ago(hours=1))
    make_article(title="מים בברז", slug="tap", published_at=ago(days=3))
    assert found(client, "מים") == ["מים בברז", "שמים כחולים"]


def test_a_word_whose_own_vav_is_doubled_after_a_prefix_is_found(client, language):
    # A word's own first ו is written twice after a prefix (ועדה, "committee";
    # הוועדה, "the committee"), which also shows it is no ו ("and") and עדה.
    make_article(title="הוועדה החליטה", slug="decided", published_at=ago(days=2))
    make_article(title="ועדה חדשה", slug="new", published_at=ago(days=1))
    make_article(title="עדה קטנה", slug="community")
    assert found(client, "ועדה") == ["ועדה חדשה", "הוועדה החליטה"]
    assert found(client, "בוועדה") == ["ועדה חדשה", "הוועדה החליטה"]
    assert found(client, "עדה") == ["עדה קטנה"]


def test_the_forms_of_a_word_are_settled_by_the_words_the_site_holds():
    held = {"מים", "ומים", "שמים", "השמים", "המים", "לים", "בירושלים", "ירושלמי"}
    asked: list[set[str]] = []

    def present(words):
        asked.append(set(words))
        begun = {w for w in words if w.endswith("*") and any(h.startswith(w[:-1]) for h in held)}
        return begun | {w for w in words if w in held}

    forms = prefixes.resolve(["מים", "ים", "שמים", "ירושלים"], present)
    assert forms == {
        "מים": ["מים", "המים", "ומים"],
        "ים": ["ים", "לים"],  # not מים, ומים, שמים: המים and השמים show them words
        "שמים": ["שמים", "השמים"],  # not מים
        "ירושלים": ["ירושלים", "בירושלים"],
    }
    assert len(asked) == 2  # the forms, then the proofs of those held
    # The last word typed finds the forms that begin a word the site holds.
    forms = prefixes.resolve(["ירושל"], present, beginning="ירושל")
    assert forms == {"ירושל": ["ירושל", "בירושל"]}


def test_a_short_word_is_not_searched_cut_to_a_couple_of_letters(client, language):
    make_article(title="רק היום", slug="only", body="ים של מים, לא שה.")
    make_article(title="ברק ומים", slug="barak")
    # ברק is not רק with a prefix, nor מים ים, nor משה שה: a query keeps three letters.
    assert found(client, "ברק") == ["ברק ומים"]
    assert set(found(client, "מים")) == {"רק היום", "ברק ומים"}
    assert found(client, "משה") == []
    # A letter alone, or two, is a word as typed, never a beginning of others.
    assert found(client, "ב") == []
    assert found(client, "ו") == []
    assert found(client, "בר") == []
    # A word of two letters is found with a prefix too (ים, "sea", in בים, "in the
    # sea"), but not after מ or ש, with which two letters make a word of three: ומים
    # ("and water") is no ומ and ים, even where the site never writes המים.
    make_article(title="בים", slug="in-the-sea", published_at=ago(days=9))
    assert found(client, "ים") == ["רק היום", "בים"]
    make_article(title="המים", slug="the-water", published_at=ago(days=9))
    assert found(client, "ים") == ["רק היום", "בים"]


def test_a_two_letter_word_is_not_found_in_a_three_letter_word_it_ends(client, language):
    make_article(title="בקבוקי מים לתושבים", slug="water", published_at=ago(days=2))
    make_article(title="שים לב לסימנים", slug="put", published_at=ago(days=3))
    make_article(title="הים סוער", slug="the-sea", published_at=ago(days=1))
    make_article(title="הלכו לים ומהים חזרו", slug="to-the-sea")
    # Nothing shows מים or שים to be words of their own (no המים, no השים): they are
    # still no מ and ש before ים ("sea"), which the site writes הים, לים and מהים.
    assert set(found(client, "ים")) == {"הים סוער", "הלכו לים ומהים חזרו"}


def test_a_short_function_word_is_found_after_a_conjunction_only(client, language):
    make_article(title="אמרתי לך", slug="to-you", published_at=ago(days=1))
    make_article(title="ולך יש זמן", slug="and-to-you", published_at=ago(days=2))
    make_article(title="מלך הולנד ביקר", slug="king")
    make_article(title="השחקן הלך הביתה", slug="walked")
    # לך ("to you") takes no article and no preposition: מלך is a king and הלך
    # walked. A noun of two letters still takes them (ים, above).
    assert found(client, "לך") == ["אמרתי לך", "ולך יש זמן"]


def test_the_last_word_begun_with_a_prefix_finds_longer_words(client, language):
    make_article(title="ירושלים בשלג", slug="bare")
    make_article(title="Other", slug="other", body="ירוק ושלג.")
    assert found(client, "בירוש") == ["ירושלים בשלג"]
    assert found(client, "שלג ירוש") == ["ירושלים בשלג"]
    assert found(client, "ירוש") == ["ירושלים בשלג"]


def test_the_prefixed_word_is_marked_in_the_results(client, language):
    make_article(
        title="חג בירושלים", slug="in", summary="ביקור בירושלים ובתל אביב.",
        body="הגענו לירושלים בבוקר. אחר כך חזרנו מירושלים.",
    )  # fmt: skip
    _status, page = search(client, "ירושלים")
    assert "חג <mark>בירושלים</mark>" in page
    assert "ביקור <mark>בירושלים</mark> ובתל אביב" in page
    assert "הגענו <mark>לירושלים</mark> בבוקר" in page
    assert "חזרנו <mark>מירושלים</mark>" in page
    _status, page = search(client, "בתל")
    assert "<mark>ובתל</mark> אביב" in page


def test_arabic_article_and_prefixes_are_taken_off(client, language):
    make_article(title="والكتاب الجديد", slug="and-the-book", published_at=ago(days=2))
    make_article(title="كتاب قديم", slug="a-book", published_at=ago(days=1))
    make_article(title="للكتاب قصة", slug="for-the-book")
    make_article(title="Other", slug="other", body="كتب ومكتبة.")
    every = {"والكتاب الجديد", "كتاب قديم", "للكتاب قصة"}
    # The first is the one holding the word as typed, if any does.
    for q, first in (("كتاب", "كتاب قديم"), ("الكتاب", None), ("بالكتاب", None),
                     ("للكتاب", "للكتاب قصة")):  # fmt: skip
        titles = found(client, q)
        assert set(titles) == every, q
        if first:
            assert titles[0] == first, q
    # و in وزير is the word's own letter: the word is found as it is.
    make_article(title="وزير المالية", slug="minister")
    assert found(client, "وزير") == ["وزير المالية"]
    assert found(client, "مالية") == ["وزير المالية"]


def test_a_long_hebrew_body_is_indexed_within_postgresqls_limits(client):
    letters = "אבגדזחטיכלמנסעפצקרשת"
    words = [f"וה{a}{b}{c}{d}" for a in letters for b in letters for c in letters for d in letters]
    body = " ".join(words)[: indexing.BODY_LIMIT + 5000]
    article = make_article(title="Long", slug="long", body=body)
    document = SearchDocument.objects.get(pk=article.pk)
    assert len(document.body) <= indexing.BODY_LIMIT
    assert found(client, words[0]) == ["Long"]
    assert found(client, words[0][2:]) == ["Long"]


def test_a_long_hebrew_body_is_searched_as_far_as_an_english_one(client):
    # Its words past the first 100,000 characters: the rests the index held after
    # every prefixed word took half of the body's share.
    body = "בירושלים " * 15_000 + "מזרקה"
    make_article(title="Long", slug="long", body=body)
    make_article(title="Long English", slug="english", body="harbour " * 18_750 + "fountain")
    assert found(client, "fountain") == ["Long English"]
    assert found(client, "מזרקה") == ["Long"]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_writes_the_words_without_the_rests_it_held(client):
    hebrew = make_article(title="חג בירושלים", slug="in")
    english = make_article(title="Route 0800 to 007", slug="en")
    executor = MigrationExecutor(connection)
    executor.migrate([("newsroom", "0017_search_rerendered_footnotes")])
    # The documents as the site wrote them before: each Hebrew word and its rests.
    SearchDocument.objects.filter(pk=hebrew.pk).update(title="חג בירושלים 0ירושלים")
    indexing.revectorize()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert SearchDocument.objects.get(pk=hebrew.pk).title == "חג בירושלים"
    assert SearchDocument.objects.get(pk=english.pk).title == "route 0800 to 007"
    assert found(client, "ירושלים") == ["חג בירושלים"]
    assert indexing.check() == []
