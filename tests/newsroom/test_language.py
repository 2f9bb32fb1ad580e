"""The site speaks the language chosen in its site settings: pages, forms, e-mails,
feeds and the news sitemap; Hebrew is written right to left."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from broadsheet.discussion import pagecache
from broadsheet.newsroom import actions
from broadsheet.newsroom.models import SiteSettings
from tests.conftest import make_article, post
from tests.notifications.conftest import ORIGIN, body_of, web_post
from tests.test_html import PAGES, Site, check_page, site_pages  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_pages_in_memory():
    pagecache.copies.clear()
    yield
    pagecache.copies.clear()


def speak(language: str) -> SiteSettings:
    site = SiteSettings.load()
    site.language = language
    return actions.save_site_settings(site)


@pytest.fixture
def hebrew(db) -> SiteSettings:
    return speak("he")


def heading(page: str) -> str:
    found = re.search(r'<h2 id="comments-heading">(.*?)</h2>', page)
    assert found, page
    return found.group(1)


def test_the_hebrew_article_page_is_right_to_left_with_its_words_in_hebrew(client, hebrew):
    article = make_article(published_at=datetime(2016, 12, 6, 12, tzinfo=UTC))
    post(article, "תגובה ראשונה, בעברית.")
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert '<html lang="he" dir="rtl">' in page
    assert response["Content-Language"] == "he"
    assert '<h2 id="respond">השארת תגובה</h2>' in page
    assert '<label for="id_author_name">שם</label>' in page
    assert '<button type="submit">שליחת תגובה</button>' in page
    assert ">6 בדצמבר 2016</time>" in page  # Django's Hebrew date format
    assert "תגובה אחת »</a>" in page  # the count line under the headline
    # Each comment's words (drawn without templates, discussion/rendering.py).
    assert '<article aria-label="תגובה מאת Reader">' in page
    assert '</span> כתב/ה: <a class="permalink"' in page
    assert ">להגיב</a>" in page and ">לצטט</a>" in page
    # Reader-written text keeps its own direction.
    assert '<h1 dir="auto">' in page and '<div class="body" dir="auto">' in page
    assert 'name="body" cols="40" rows="8" dir="auto"' in page


@pytest.mark.parametrize(
    ("comments", "said"),
    [(0, "0 תגובות"), (1, "תגובה אחת"), (2, "שתי תגובות"), (5, "5 תגובות"), (20, "20 תגובות")],
)
def test_the_comment_count_takes_the_hebrew_plural_form(client, article, hebrew, comments, said):
    for n in range(comments):
        post(article, f"Comment {n}.")
    assert heading(client.get(article.get_absolute_url()).content.decode()) == said


def test_a_form_error_is_in_hebrew(client, article, hebrew):
    data = {"author_name": "שורה\nשנייה", "body": "", "stamp": "x"}
    response = client.post(f"/article/{article.slug}/comments", data, **ORIGIN)
    page = response.content.decode()
    assert response.status_code == 400
    assert "יש להזין תוכן בשדה זה." in page  # Django's own message, in Django's Hebrew
    assert "שם נכתב בשורה אחת: יש להסיר את מעבר השורה." in page  # Broadsheet's


def test_switching_back_to_english_redraws_the_kept_page(client, article, hebrew):
    url = article.get_absolute_url()
    hebrew_page = client.get(url)
    assert "השארת תגובה" in hebrew_page.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=hebrew_page["ETag"]).status_code == 304
    speak("en")
    english = client.get(url, HTTP_IF_NONE_MATCH=hebrew_page["ETag"])
    page = english.content.decode()
    assert english.status_code == 200 and english["ETag"] != hebrew_page["ETag"]
    assert '<html lang="en">' in page and "Leave a Reply" in page and "השארת" not in page


def test_the_page_not_found_is_in_the_sites_language(client, hebrew):
    for address in ("/no-such-place/", "/article/no-such-story/"):
        response = client.get(address)
        assert response.status_code == 404
        assert "<h1>הדף לא נמצא</h1>" in response.content.decode()


def test_feeds_and_the_news_sitemap_say_the_sites_language(client, article, hebrew):
    post(article, "Hi.", author_name="Ben")
    feed = client.get(f"/article/{article.slug}/feed/").content.decode()
    assert 'xml:lang="he"' in feed
    assert "<title>תגובות על „Hello world”</title>" in feed
    assert "<title>תגובה מאת Ben</title>" in feed
    comments = client.get("/comments/feed/").content.decode()
    assert "<title>Broadsheet: התגובות האחרונות</title>" in comments
    sitemap = client.get("/sitemap-news.xml").content.decode()
    assert "<news:language>he</news:language>" in sitemap


def test_the_api_answers_in_english_whatever_the_sites_language(client, article, hebrew):
    response = client.post(
        f"/api/v1/articles/{article.slug}/comments",
        {"author_name": "Ben", "body": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"body": ["This field is required."]}}


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_e_mail_is_in_hebrew(article, smtp, hebrew):
    web_post(
        Client(), article, "First!", author_name="Anna", author_email="anna@example.org",
        notify_replies="on",
    )  # fmt: skip
    [message] = smtp.messages
    assert message["Subject"].strip() == "אישור הודעות דוא״ל על תגובות ב־Broadsheet"
    text = body_of(message)
    assert text.startswith("שלום,\n\nמישהו, אנחנו מקווים שאת/ה, ביקש מ־Broadsheet")
    assert "(הוא פעיל 7 ימים)" in text


@pytest.mark.django_db(transaction=True)
def test_a_reply_notice_is_in_hebrew_with_a_right_to_left_html_part(article, smtp, hebrew):
    from tests.notifications.test_reply_mail import confirm_from, opt_in, reply

    parent = opt_in(Client(), article)
    confirm_from(smtp)
    reply(Client(), article, parent, "לא כל כך מהר.")
    notice = smtp.messages[-1]
    assert notice["Subject"].strip() == "Ben הגיב/ה לתגובה שלך על „Hello world”"
    assert "לקריאה ולתשובה:" in body_of(notice)
    html = notice.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="he" dir="rtl">' in html.get_content()


def test_the_moderators_pages_are_in_hebrew(client, article, hebrew):
    from django.contrib.auth import get_user_model

    held = post(article, "ממתינה.", author_name="דנה")
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    pages = {
        "/moderation/": "<h1>תור ניהול התגובות</h1>",
        "/moderation/?tab=decided": "<h1>תור ניהול התגובות</h1>",
        "/moderation/log/": "<h1>יומן פעולות</h1>",
        "/moderation/blocks/": "<h1>כותבים חסומים</h1>",
        "/moderation/filter/": "<h1>ביצועי המסנן באתר הזה</h1>",
        "/moderation/words/": "<h1>רשימות מילים</h1>",
        f"/moderation/{held.pk}/block": f"<h1>חסימת <bdi>{held.author_name}</bdi></h1>",
        "/moderation/notices/": "<h1>דוא״ל על התור</h1>",
    }
    for address, heading in pages.items():
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert heading in page and '<html lang="he" dir="rtl">' in page, address


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_type_is_valid_html_in_hebrew(site_pages: Site, name: str):  # noqa: F811
    speak("he")
    client, url, status = PAGES[name](site_pages)
    response = client.get(url)
    assert response.status_code == status, url
    page = response.content.decode()
    check_page(page)
    assert '<html lang="he" dir="rtl">' in page


def site_settings_form(client) -> tuple[str, dict[str, object]]:
    """Signs an operator in; the site settings' address and form, its language unset."""
    from django.contrib.auth import get_user_model

    site = SiteSettings.load()
    client.force_login(get_user_model().objects.create_superuser("op", "op@example.org", "pw"))
    return f"/admin/newsroom/sitesettings/{site.pk}/change/", {
        "site_name": site.site_name, "tagline": site.tagline, "comment_policy": "publish",
        "thread_depth": site.thread_depth, "comments_per_page": site.comments_per_page,
    }  # fmt: skip


def test_the_operator_chooses_the_language_in_the_admins_site_settings(client):
    address, form = site_settings_form(client)
    assert client.post(address, {**form, "language": "he"}).status_code == 302
    assert SiteSettings.load().language == "he"
    page = client.get(address).content.decode()
    # The admin is Django's, in Django's Hebrew; the field names itself in Hebrew too.
    assert '<html lang="he" dir="rtl">' in page
    assert "שפת האתר" in page and '<option value="en">English</option>' in page
    assert '<html lang="he" dir="rtl">' in Client().get("/").content.decode()


def test_saving_a_new_language_says_so_in_that_language(client):
    address, form = site_settings_form(client)
    for language, saved in (("he", "הגדרות האתר נשמרו."), ("en", "Site settings saved.")):
        response = client.post(address, {**form, "language": language}, follow=True)
        assert [str(m) for m in response.context["messages"]] == [saved], language
        assert f'<html lang="{language}"' in response.content.decode()


def test_an_editor_works_in_a_hebrew_admin(client, article, hebrew):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    index = client.get("/admin/").content.decode()
    assert "ספריית התמונות" in index and "כתבות" in index and "מדורים" in index
    form = client.get("/admin/newsroom/article/add/").content.decode()
    assert "כותרת" in form and "קרדיט ומקור" in form and "כלי התקשורת המקורי" in form
    closed = client.post(
        "/admin/newsroom/article/",
        {"action": "close_comments", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "התגובות נסגרו בכתבה אחת." in closed.content.decode()
    refused = client.post(
        "/admin/media/image/add/",
        {"alt_text": "x", "upload": SimpleUploadedFile("a.jpg", b"not a picture")},
    )
    assert "הקובץ אינו תמונת JPEG" in refused.content.decode()


def test_a_moderator_works_in_a_hebrew_admin(client, article, hebrew):
    from django.contrib.auth import get_user_model

    from broadsheet.moderation.models import ModerationSettings, Report, WordRule

    held = post(article, "ממתינה.", author_name="דנה")
    Report.objects.create(comment=held, reason=Report.Reason.ABUSE, reporter_key="k" * 64)
    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK)
    client.force_login(get_user_model().objects.create_superuser("mo", "mo@example.org", "pw"))
    index = client.get("/admin/").content.decode()
    assert "ניהול תגובות" in index and "כללים ברשימות המילים" in index and "רשומות היומן" in index
    assert "תור ניהול התגובות" in index  # the way to the queue
    rules = client.get("/admin/moderation/wordrule/").content.decode()
    assert "ביטוי" in rules and "תיוק כספאם" in rules and "Phrase" not in rules
    refused = client.post("/admin/moderation/wordrule/add/", {"phrase": "*a*", "list": "hold"})
    assert "‏„*a*” רחב מדי: כלל עם * צריך לפחות 3 אותיות" in refused.content.decode()
    settings_page = client.get(
        f"/admin/moderation/moderationsettings/{ModerationSettings.load().pk}/change/"
    ).content.decode()
    assert "ציון נלמד" in settings_page and "סף עיכוב" in settings_page
    report = Report.objects.get()
    shown = client.get(f"/admin/moderation/report/{report.pk}/change/").content.decode()
    assert f"דיווח על תגובה #{held.pk}: פוגענית או מסיתה" in shown and "מועד הדיווח" in shown
    approved = client.post(
        "/admin/discussion/comment/",
        {"action": "approve", "_selected_action": [held.pk]},
        follow=True,
    ).content.decode()
    assert "תגובה אחת אושרה." in approved
    log = client.get("/admin/moderation/auditentry/").content.decode()
    assert "למצב" in log and "אושרה" in log and "approved" not in log


def test_a_hebrew_article_without_comments_asks_for_one_in_hebrew(client, hebrew):
    article = make_article()
    assert f'<a href="{article.get_absolute_url()}#respond">השארת תגובה</a>' in (
        client.get("/").content.decode()
    )
    article.comments_open = False
    actions.save_article(article)
    assert "<span>התגובות סגורות</span>" in client.get(article.get_absolute_url()).content.decode()
