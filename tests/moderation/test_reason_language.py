"""A comment's reasons are stored as data and said in the site's language when shown
(``discussion.reasons``): the queue, the admin and the moderators' e-mail of a Hebrew
site read them in Hebrew, values and listed words included, and reasons stored by
older releases (English sentences) are translated when the catalogue knows them."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from broadsheet.discussion.reasons import say
from broadsheet.moderation import learned
from broadsheet.moderation.features import CommentText
from broadsheet.moderation.learned import SpamFilter
from broadsheet.moderation.models import WordRule
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import SiteSettings
from broadsheet.notifications.moderators import Why, entries
from tests.conftest import post

pytestmark = pytest.mark.django_db


def speak(language: str) -> None:
    site = SiteSettings.load()
    site.language = language
    newsroom_actions.save_site_settings(site)


def reasons_on_queue(client, comment: Comment) -> str:
    page = client.get(reverse("moderation:queue") + f"?author={comment.pk}").content.decode()
    listed = page.split('<ul class="reasons">', 1)[1].split("</ul>", 1)[0]
    # The text as it reads: entities unescaped, the marks setting words apart dropped.
    return html.unescape(listed).replace("\u2068", "").replace("\u2069", "")


def test_a_reason_with_values_reads_in_hebrew_on_the_queue(staff, article, rules):
    rules.max_links = 1
    rules.save()
    held = post(article, "See https://a.example/x and https://b.example/y and https://c.example")
    # Stored in English, as older releases and backups read it, and as data.
    (stored,) = [r for r in held.reasons if r["check"] == "too_many_links"]
    assert stored["reason"] == "Has 3 links (more than 1)."
    assert stored["params"] == {"links": 3, "most": 1}
    speak("he")
    shown = reasons_on_queue(staff, held)
    assert "מספר הקישורים: 3 (יותר מ־1)." in shown
    assert "Has 3 links" not in shown


def test_a_listed_word_stays_as_written_in_a_hebrew_reason(staff, article):
    WordRule.objects.create(phrase="casino*", list=WordRule.List.HOLD)
    held = post(article, "visit the casinos", author_email="j@example.org")
    speak("he")
    shown = reasons_on_queue(staff, held)
    assert "מכילה את „casinos” (הכלל „casino*” ברשימת העיכוב)." in shown
    # On the right-to-left page the word is set apart from the sentence around it.
    with translation.override("he"):
        assert "\u2068casinos\u2069" in say(held.reasons[0])


def test_reasons_of_older_releases_are_translated_when_known(staff, article):
    held = post(article, "A comment.", author_email="j@example.org")
    first = {"check": "first_comment", "action": "hold"}
    links = {"check": "too_many_links", "action": "hold"}
    Comment.objects.filter(pk=held.pk).update(
        reasons=[
            {**first, "reason": "The author's first comment on this site."},
            {**links, "reason": "Has 4 links (more than 2)."},
        ]
    )
    speak("he")
    shown = reasons_on_queue(staff, held)
    assert "התגובה הראשונה של הכותב/ת באתר." in shown
    # Not a sentence the catalogue knows (its numbers are in it): shown as it was stored.
    assert "Has 4 links (more than 2)." in shown


def stored(check: str, reason: str, msgid: str, **params) -> dict:
    return {"check": check, "action": "hold", "reason": reason, "msgid": msgid, "params": params}


def hebrew(reason: dict) -> str:
    """``reason`` said in Hebrew, without the marks that set words apart."""
    with translation.override("he"):
        return say(reason).replace("\u2068", "").replace("\u2069", "")


def test_the_words_the_filter_weighed_most_are_kept_as_they_were():
    learned = stored(
        "learned_score",
        "Learned score 0.91 (moderators' past decisions). Weighed most: “cheap”, “פרסום”.",
        "Learned score %(score).2f (moderators' past decisions). Weighed most: %(words)s.",
        score=0.9087,
        words=["cheap", "פרסום"],
    )
    said = "ציון נלמד 0.91 (מהחלטות קודמות של המנהלים). השפיעו ביותר: „cheap”, „פרסום”."
    assert hebrew(learned) == said
    with translation.override("en"):
        assert say(learned) == learned["reason"]


def test_an_edit_note_says_the_earlier_reasons_in_the_readers_language(article):
    WordRule.objects.create(phrase="casino", list=WordRule.List.HOLD)
    held = post(article, "visit the casino", author_email="j@example.org")
    edited = discussion_actions.edit_comment(held, "visit the museum", token=held._token)
    (note,) = [r for r in edited.reasons if r["check"] == "edited"]
    said = hebrew(note)
    assert said.startswith("נערכה בידי הכותב/ת כשלא הייתה מפורסמת")
    assert "לפני העריכה: מכילה את „casino” (ברשימת העיכוב)." in said


def test_a_stored_sentence_this_version_cannot_fill_is_shown_as_stored():
    written = "Has 3 links (more than 1)."
    assert hebrew(stored("too_many_links", written, "Has %(links)999999999s.", links=3)) == written
    assert hebrew(stored("too_many_links", written, "Has %(lots)s links.")) == written


def test_the_admin_and_the_moderators_mail_say_the_reasons_in_hebrew(client, article, rules):
    from django.contrib.auth import get_user_model

    rules.hold_first_comment = True
    rules.save()
    held = post(article, "A comment.", author_email="j@example.org")
    speak("he")
    (entry,) = entries([(held, Why.HELD)])
    assert entry.reasons == ["התגובה הראשונה של הכותב/ת באתר."]
    admin = get_user_model().objects.create_superuser("root", "r@example.org", "pw-long-1234")
    client.force_login(admin)
    page = client.get(reverse("admin:discussion_comment_change", args=[held.pk]))
    assert "התגובה הראשונה של הכותב/ת באתר." in page.content.decode()


def test_what_the_filter_says_of_a_comments_shape_reads_in_hebrew(article, rules):
    # The filter's own phrases ("a link", "asks for likes") are not the comment's words.
    rules.hold_threshold, rules.spam_threshold, rules.learned_min_examples = 0.0, 1.0, 1
    rules.save()
    spam_filter = SpamFilter()
    bait = ["like this comment if you agree", "thumbs up if you read it", "like if you care"]
    ham = ["the vote was close", "I read the report", "the council met today"]
    learned.train(spam_filter, [CommentText(t) for t in bait + ham], [1, 1, 1, 0, 0, 0], epochs=10)
    learned.store(spam_filter)
    held = post(article, "leave me a like", author_email="j@example.org")
    (reason,) = [r for r in held.reasons if r["check"] == "learned_score"]
    assert "“asks for likes”" in reason["reason"]  # stored in English, as before
    said = hebrew(reason)
    assert "„מבקשת לייקים”" in said
    assert "asks for likes" not in said
