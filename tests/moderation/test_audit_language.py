"""The audit log and the blocked-authors page speak the site's language: an entry keeps
what happened as data and is put into words when it is shown (``moderation.notes``),
what a moderator typed stays as typed, and notes stored as sentences before stay shown."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions, notes
from broadsheet.moderation.models import AuditEntry, Block, ModerationSettings, WordRule
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import post

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


def speak(language: str) -> None:
    site = SiteSettings.load()
    site.language = language
    newsroom_actions.save_site_settings(site)


def text_of(page: str) -> str:
    """A page's text as it reads: entities unescaped, and the marks that keep a name or a
    value apart from the right-to-left sentence around it dropped."""
    return html.unescape(page).replace("\u2068", "").replace("\u2069", "")


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
    client.force_login(user)
    return user


def every_kind_of_entry(client, editor, article: Article) -> Comment:
    """An entry of each kind the site writes, made as its moderators and editors make
    them (the queue's actions, the admin's forms, the newsroom); returns Jane's comment."""
    jane = post(article, "Hello", author_name="Jane", author_email="j@example.org",
                ip_address="192.0.2.1")  # fmt: skip
    actions.edit_text(jane, "Hello again", actor=editor)
    actions.undo(actions.mark_spam(jane, actor=editor), actor=editor)
    rules = ModerationSettings.load()
    rules.reports_to_hide = 2
    rules.save()
    contested = post(article, "Contested", author_name="Sam")
    for key in ("k1", "k2"):
        actions.report(contested, reason="abuse", reporter_key=key)
    actions.dismiss_reports(contested, actor=editor)
    actions.block_author(jane, actor=editor, days=7, reason="abuse")
    actions.block_author(jane, actor=editor, days=1, kinds=[Block.Kind.EMAIL])
    actions.unblock(Block.objects.get(kind=Block.Kind.IP), actor=editor)
    actions.set_thresholds(0.35, 0.9, actor=editor)
    actions.save_word_lists({"hold": ["casino", "free money"], "block": ["viagr*"]}, actor=editor)
    newsroom_actions.set_comments_open(article, False, actor=editor)
    newsroom_actions.set_discussion(
        article, comments_open=True, comment_policy="hold", actor=editor
    )
    site = SiteSettings.load()
    site.close_comments_after_days = 30
    newsroom_actions.save_site_settings(site, actor=editor)
    # The admin's forms.
    rules = ModerationSettings.load()
    form = {name: getattr(rules, name) for name in (
        "spam_threshold", "learned_min_examples", "duplicate_window_minutes", "trust_after",
        "reports_to_hide", "rate_per_minute", "rate_per_hour",
    )}  # fmt: skip
    form.update(hold_threshold="0.4", max_links="5", hold_first_comment="")
    url = f"/admin/moderation/moderationsettings/{rules.pk}/change/"
    assert client.post(url, form).status_code == 302
    client.post("/admin/moderation/wordrule/add/", {"phrase": "lottery", "list": "hold"})
    rule = WordRule.objects.get(phrase="lottery")
    url = f"/admin/moderation/wordrule/{rule.pk}/change/"
    client.post(url, {"phrase": "lotter*", "list": "block"})
    client.post(f"/admin/moderation/wordrule/{rule.pk}/delete/", {"post": "yes"})
    block = Block.objects.get(kind=Block.Kind.EMAIL)
    change = {"reason": "spam again", "expires_at_0": "2030-01-01", "expires_at_1": "12:30:00"}
    assert client.post(f"/admin/moderation/block/{block.pk}/change/", change).status_code == 302
    return jane


def said_in(language: str, client, editor, article) -> tuple[str, Comment]:
    jane = every_kind_of_entry(client, editor, article)
    speak(language)
    return text_of(client.get("/moderation/log/").content.decode()), jane


def missing(page: str, sentences: dict[str, str]) -> dict[str, str]:
    return {kind: said for kind, said in sentences.items() if said not in page}


def test_a_hebrew_sites_audit_log_says_each_kind_of_action_in_hebrew(client, editor, article):
    page, jane = said_in("he", client, editor, article)
    assert not missing(page, {
        "edit": "מנהל/ת תגובות ערך/ה את הטקסט.",
        "undo": "בוטלה הפעולה „סומנה כספאם”.",
        "hide": "הוסתרה אחרי דיווחים של שני קוראים.",
        "keep": "התגובה נשארה; שני דיווחים נדחו.",
        "block": "נחסם/ה לפי כתובת דוא״ל, כתובת IP ל־7 ימים. abuse",
        "block again": "נחסם/ה לפי כתובת דוא״ל ליום אחד (במקום החסימה הקודמת).",
        "unblock": f"הוסרה החסימה של Jane (תגובה #{jane.pk}) לפי כתובת IP, שהייתה אמורה "
        "להסתיים ב־20",
        "thresholds": "עיכוב 0.5 ← 0.35, ספאם 0.95 ← 0.9",
        "words": "הוספה לרשימת העיכוב: „casino”, „free money”. הוספה לרשימת החסימה: „viagr*”.",
        "story closed": "התגובות נסגרו.",
        "story held": "התגובות נפתחו. מדיניות תגובות: מדיניות האתר ← כל תגובה ממתינה לבדיקה.",
        "site settings": "הגדרות האתר: סגירת תגובות אחרי ימים: אין ← 30.",
        "language": "הגדרות האתר: שפת האתר: English ← עברית (Hebrew).",
        "admin settings": "מספר הקישורים המרבי 2 ← 5",
        "admin thresholds": "סף עיכוב 0.35 ← 0.4",
        "admin rule added": "הוספה לרשימת העיכוב: „lottery”.",
        "admin rule changed": "שינוי: „lottery” ברשימת העיכוב הפך ל־„lotter*” ברשימת החסימה.",
        "admin rule removed": "הסרה מרשימת החסימה: „lotter*”.",
        "admin block": f"החסימה של Jane (תגובה #{jane.pk}) לפי כתובת דוא״ל שונתה: עכשיו עד "
        "2030-01-01 12:30 (spam again).",
    })  # fmt: skip
    for english in ("moderator edited", "Undid", "readers' reports", "Kept;", "Blocked by",
                    "Unblocked", "hold 0.5", "Added", "Removed", "Changed", "comments.",
                    "Site settings:", "most links"):  # fmt: skip
        assert english not in page


def test_an_english_sites_audit_log_reads_as_it_did(client, editor, article):
    page, jane = said_in("en", client, editor, article)
    assert not missing(page, {
        "edit": "A moderator edited the text.",
        "undo": "Undid “Marked as spam”.",
        "hide": "Hidden after 2 readers' reports.",
        "keep": "Kept; 2 reports dismissed.",
        "block": "Blocked by e-mail address, IP address for 7 days. abuse",
        "block again": "Blocked by e-mail address for 1 day (replacing the block there was).",
        "unblock": f"Unblocked the IP address of Jane (comment #{jane.pk}), blocked until 20",
        "thresholds": "hold 0.5 → 0.35, spam 0.95 → 0.9",
        "words": "Added “casino”, “free money” on the hold list. Added “viagr*” on the block list.",
        "story closed": "Closed comments.",
        "story held": "Opened comments. Comment policy: the site's policy → hold every comment "
        "for review.",
        "site settings": "Site settings: Close comments after days: none → 30.",
        "admin settings": "most links 2 → 5",
        "admin thresholds": "hold threshold 0.35 → 0.4",
        "admin rule added": "Added “lottery” on the hold list.",
        "admin rule changed": "Changed “lottery” on the hold list to “lotter*” on the block list.",
        "admin rule removed": "Removed “lotter*” from the block list.",
        "admin block": f"Changed the block of Jane (comment #{jane.pk}) by e-mail address: now "
        "until 2030-01-01 12:30 (spam again).",
    })  # fmt: skip
    # No isolating marks where no right-to-left text needs them.
    assert "\u2068" not in client.get("/moderation/log/").content.decode()


def test_a_change_of_language_names_both_languages_as_they_are_written(client, editor):
    speak("he")
    speak("en")
    page = text_of(client.get("/moderation/log/").content.decode())
    # The label's first letter was lowered, as for a choice read into a sentence: "english".
    assert "Site settings: Language: English → עברית (Hebrew)." in page
    assert "Site settings: Language: עברית (Hebrew) → English." in page


def test_a_change_to_the_site_settings_is_not_called_one_to_the_moderation_settings(client, editor):
    site = SiteSettings.load()
    site.close_comments_after_days = 30
    newsroom_actions.save_site_settings(site, actor=editor)
    actions.set_thresholds(0.35, 0.9, actor=editor)
    rules = ModerationSettings.load()
    rules.max_links = 5
    rules.save()
    AuditEntry.objects.create(
        action=Action.SETTINGS, details=[{"code": "settings", "changes": [
            {"field": "max_links", "from": 2, "to": 5}]}],
    )  # fmt: skip
    whats = [e.get_action_display() for e in AuditEntry.objects.order_by("id")]
    assert whats == [
        "Changed the site settings", "Changed the score thresholds",
        "Changed the moderation settings",
    ]  # fmt: skip
    page = text_of(client.get("/moderation/log/").content.decode())
    assert "Changed the site settings" in page
    listed = text_of(client.get("/admin/moderation/auditentry/").content.decode())
    assert re.search(r'<td [^>]*class="field-what">Changed the site settings</td>', listed)
    with translation.override("he"):
        assert AuditEntry.objects.order_by("id").first().get_action_display() == (
            "הגדרות האתר שונו"
        )


def test_what_a_moderator_wrote_and_notes_stored_as_sentences_are_shown_as_stored(
    client, editor, article
):
    comment = post(article, "Rude")
    actions.moderate(comment, "reject", actor=editor, note="Off topic, and rude.")
    # Notes an older version stored, that the upgrade could not read back into data.
    AuditEntry.objects.create(action=Action.HIDE, note="Hidden after 1 readers' reports.")
    Block.objects.create(kind=Block.Kind.EMAIL, key="a" * 64, label="Sam, the one from the bus")
    speak("he")
    page = text_of(client.get("/moderation/log/").content.decode())
    assert "Off topic, and rude." in page and "Hidden after 1 readers' reports." in page
    blocks = text_of(client.get("/moderation/blocks/").content.decode())
    assert "<bdi>Sam, the one from the bus</bdi>" in blocks


def test_a_hebrew_sites_blocked_authors_page_names_the_comment_in_hebrew(client, editor, article):
    jane = post(article, "Hello", author_name="Jane", author_email="j@example.org")
    actions.block_author(jane, actor=editor, kinds=[Block.Kind.EMAIL], reason="abuse")
    (block,) = Block.objects.all()
    assert (block.author_name, block.author_comment, block.label) == ("Jane", jane.pk, "")
    link = f'<a href="/moderation/{jane.pk}/">'
    speak("he")
    page = text_of(client.get("/moderation/blocks/").content.decode())
    assert f"<bdi>Jane</bdi> ({link}תגובה #{jane.pk}</a>)" in page and "comment #" not in page
    speak("en")
    page = text_of(client.get("/moderation/blocks/").content.decode())
    assert f"<bdi>Jane</bdi> ({link}comment #{jane.pk}</a>)" in page


def test_the_blocked_authors_page_links_the_comment_only_while_it_is_there(client, editor, article):
    jane = post(article, "Hello", author_name="Jane", author_email="j@example.org")
    actions.block_author(jane, actor=editor, kinds=[Block.Kind.EMAIL])
    page = client.get("/moderation/blocks/").content.decode()
    (href,) = re.findall(r'<a href="([^"]+)">comment #', page)
    opened = client.get(href, follow=True)
    assert opened.redirect_chain[-1][0] == f"/moderation/?author={jane.pk}#q-{jane.pk}"
    assert f'id="q-{jane.pk}"' in opened.content.decode()
    # The comment deleted for good (in the admin): its number stays, unlinked.
    Comment.objects.filter(pk=jane.pk).delete()
    page = text_of(client.get("/moderation/blocks/").content.decode())
    assert f"<bdi>Jane (comment #{jane.pk})</bdi>" in page


def test_a_hebrew_sites_block_page_names_what_to_block_by_in_hebrew(client, editor, article):
    office = "198.51.100.4"
    troll = post(article, "Hello", author_name="Troll", author_email="t@example.org",
                 ip_address=office)  # fmt: skip
    for n, name in enumerate(["Colleague", "Another colleague"]):
        post(article, f"fair point {n}", author_name=name, ip_address=office)
    speak("he")
    page = html.unescape(client.get(f"/moderation/{troll.pk}/block").content.decode())
    # Each value is kept apart from the Hebrew around it; the count takes Hebrew's forms.
    assert "דוא״ל: \u2068t@example.org\u2069" in page
    assert (
        f"כתובת IP: \u2068{office}\u2069 (בשימוש גם של שני כותבים אחרים ב־90 הימים האחרונים:"
        in page
    )
    assert "also used by" not in page
    speak("en")
    page = html.unescape(client.get(f"/moderation/{troll.pk}/block").content.decode())
    assert "E-mail: t@example.org" in page
    assert f"IP address: {office} (also used by 2 other authors in the last 90 days" in page


def test_a_story_page_and_the_admin_say_notes_in_the_sites_language(client, editor, article):
    jane = post(article, "Hello", author_name="Jane", author_email="j@example.org")
    actions.block_author(jane, actor=editor, kinds=[Block.Kind.EMAIL])
    newsroom_actions.set_comments_open(article, False, actor=editor)
    speak("he")
    story = text_of(client.get(f"/moderation/story/{article.pk}/").content.decode())
    assert "התגובות נסגרו." in story and "Closed comments." not in story
    listed = text_of(client.get("/admin/moderation/auditentry/").content.decode())
    assert "התגובות נסגרו." in listed and "נחסם/ה לפי כתובת דוא״ל לתמיד." in listed
    entry = AuditEntry.objects.get(action=Action.BLOCK)
    one = text_of(client.get(f"/admin/moderation/auditentry/{entry.pk}/change/").content.decode())
    assert "נחסם/ה לפי כתובת דוא״ל לתמיד." in one
    blocks = text_of(client.get("/admin/moderation/block/").content.decode())
    assert f"Jane (תגובה #{jane.pk})" in blocks


@pytest.mark.parametrize(
    ("language", "reports", "hidden", "kept"),
    [
        ("en", 1, "Hidden after a reader's report.", "Kept; 1 report dismissed."),
        ("en", 2, "Hidden after 2 readers' reports.", "Kept; 2 reports dismissed."),
        ("en", 0, "Hidden after 0 readers' reports.", "Kept; 0 reports dismissed."),
        ("he", 1, "הוסתרה אחרי דיווח של קורא/ת.", "התגובה נשארה; דיווח אחד נדחה."),
        ("he", 2, "הוסתרה אחרי דיווחים של שני קוראים.", "התגובה נשארה; שני דיווחים נדחו."),
        ("he", 3, "הוסתרה אחרי דיווחים של 3 קוראים.", "התגובה נשארה; 3 דיווחים נדחו."),
        ("he", 20, "הוסתרה אחרי דיווחים של 20 קוראים.", "התגובה נשארה; 20 דיווחים נדחו."),
    ],
)
def test_counts_take_the_languages_plural_forms(language, reports, hidden, kept):
    with translation.override(language):
        assert notes.say([notes.hidden(reports)]) == hidden
        assert notes.say([notes.kept(reports)]) == kept


@pytest.mark.parametrize(
    ("days", "english", "hebrew"),
    [
        (1, "Blocked by account for 1 day.", "נחסם/ה לפי חשבון ליום אחד."),
        (2, "Blocked by account for 2 days.", "נחסם/ה לפי חשבון ליומיים."),
        (7, "Blocked by account for 7 days.", "נחסם/ה לפי חשבון ל־7 ימים."),
        (30, "Blocked by account for 30 days.", "נחסם/ה לפי חשבון ל־30 יום."),
        (None, "Blocked by account for good.", "נחסם/ה לפי חשבון לתמיד."),
    ],
)
def test_a_blocks_length_takes_the_languages_plural_forms(days, english, hebrew):
    said = [notes.blocked([Block.Kind.USER], days=days, replaced=False)]
    with translation.override("en"):
        assert notes.say(said) == english
    with translation.override("he"):
        assert notes.say(said) == hebrew


def test_details_this_version_cannot_say_are_shown_as_data(client, editor):
    # From a hand-edited backup, or a later version's code.
    AuditEntry.objects.create(action=Action.HIDE, details=[{"code": "hidden"}])
    AuditEntry.objects.create(action=Action.WORDS, details=[{"code": "weather", "rain": 3}])
    AuditEntry.objects.create(action=Action.BLOCK, details="not a list", note="abuse")
    response = client.get("/moderation/log/")
    assert response.status_code == 200
    page = text_of(response.content.decode())
    assert '{"code": "hidden"}' in page and '{"code": "weather", "rain": 3}' in page
    assert '"not a list" abuse' in page


def test_a_name_in_a_right_to_left_sentence_is_kept_apart_from_it(editor, article):
    dana = post(article, "שלום", author_name="Dana (ltd.)", author_email="d@example.org")
    actions.block_author(dana, actor=editor, kinds=[Block.Kind.EMAIL])
    actions.unblock(Block.objects.get(), actor=editor)
    entry = AuditEntry.objects.get(action=Action.UNBLOCK)
    with translation.override("he"):
        assert f"\u2068Dana (ltd.)\u2069 (תגובה #{dana.pk})" in entry.said
    with translation.override("en"):
        assert entry.said == (
            f"Unblocked the e-mail address of Dana (ltd.) (comment #{dana.pk}), blocked for good."
        )


def test_an_author_with_the_longest_name_a_comment_takes_can_be_blocked(editor, article):
    # The label the block was given ("<name> (comment #N)") once overran its 200 characters
    # on PostgreSQL, and the block failed.
    name = "N" * Comment._meta.get_field("author_name").max_length
    comment = post(article, "Hello", author_name=name, author_email="n@example.org")
    (block,) = actions.block_author(comment, actor=editor, kinds=[Block.Kind.EMAIL])
    block.refresh_from_db()
    assert block.author == f"{name} (comment #{comment.pk})"


def test_the_status_before_and_after_is_said_in_the_sites_language(client, editor, article):
    comment = post(article, "Buy pills")
    actions.mark_spam(comment, actor=editor)
    page = text_of(client.get("/moderation/log/").content.decode())
    assert "approved → spam" in page
    speak("he")
    for address in ("/moderation/log/", "/moderation/?tab=decided"):
        page = text_of(client.get(address).content.decode())
        assert "אושרה ← ספאם" in page and "approved" not in page, address


def test_a_held_comment_is_pending_in_the_singular_and_the_tab_in_the_plural(
    client, editor, article
):
    newsroom_actions.set_discussion(article, comments_open=True, comment_policy="hold")
    comment = post(article, "Hold me")
    assert comment.status == Comment.Status.PENDING
    actions.approve(comment, actor=editor)
    speak("he")
    page = text_of(client.get("/moderation/log/").content.decode())
    assert "ממתינה ← אושרה" in page  # a comment that waited, now approved
    queue = text_of(client.get("/moderation/").content.decode())
    assert "ממתינות" in queue  # the tab of comments that wait


@pytest.mark.parametrize(
    ("comments", "hebrew"),
    [
        (1, "נמחקה הכתבה „\u2068Storm\u2069” עם התגובה היחידה שלה."),
        (2, "נמחקה הכתבה „\u2068Storm\u2069” עם שתי התגובות שלה."),
        (7, "נמחקה הכתבה „\u2068Storm\u2069” עם 7 התגובות שלה."),
    ],
)
def test_a_story_deleted_with_its_comments_is_said_in_hebrew_as_the_other_entries_are(
    comments, hebrew
):
    """Without the doer's gender, as every other entry of the Hebrew log ("the story was
    deleted"), where it said "he deleted the story" whoever did it."""
    from django.utils import translation

    from broadsheet.moderation import notes

    with translation.override("he"):
        said = notes.say([{"code": "article_deleted", "title": "Storm", "comments": comments}])
    assert said == hebrew
