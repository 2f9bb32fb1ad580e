"""Two editors (or one in two tabs) saving the same article: the later save is refused,
shows what the other changed, and loses nothing."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client, override_settings

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, Author, Section, Tag
from tests.conftest import make_article, post
from tests.interchange.test_wxr_footnotes import A, B, ref
from tests.newsroom.test_wordpress_notes import change_form, imported, notes_shown, sent_by
from tests.test_html import parse

pytestmark = pytest.mark.django_db

BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


@pytest.fixture
def dana(django_user_model) -> Client:
    """An editor's own session."""
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("dana", "d@example.org", "pw"))
    return client


@pytest.fixture
def lev(django_user_model) -> Client:
    """Another editor's session."""
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("lev", "l@example.org", "pw"))
    return client


def send(client: Client, article: Article, sent: dict, **changes):
    return client.post(f"/admin/newsroom/article/{article.pk}/change/", {**sent, **changes})


def shown_form(response) -> dict:
    """What the form shown again would send, as a browser reads it."""
    return sent_by(response.content.decode())


def test_a_save_over_a_newer_one_is_refused_and_takes_in_what_only_it_changed(dana, lev):
    article = make_article(title="Night ferry", body=BODY)
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    assert send(dana, article, dana_sent, body=BODY.replace("Second", "2nd")).status_code == 302

    refused = send(lev, article, lev_sent, title="Night ferry cancelled")
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone saved this article after you opened it" in page
    assert "dana saved this article on" in page
    assert "Taken into your form from that save, as you had not changed them: Body." in page
    article.refresh_from_db()
    assert (article.title, article.body) == ("Night ferry", BODY.replace("Second", "2nd"))
    # Lev's title stays in the form; Dana's body is in it too, so saving again keeps both.
    again = shown_form(refused)
    assert again["title"] == "Night ferry cancelled"
    assert again["body"] == BODY.replace("Second", "2nd")
    assert send(lev, article, again).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("Night ferry cancelled", again["body"])


def test_a_field_both_changed_keeps_the_editors_text_and_shows_the_others(dana, lev):
    article = make_article(title="Night ferry", body=BODY)
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    theirs = BODY.replace("Second paragraph.", "Second paragraph, corrected by Dana.")
    yours = BODY.replace("Third paragraph.", "Third paragraph, with Lev's news: שלום.")
    send(dana, article, dana_sent, body=theirs)

    refused = send(lev, article, lev_sent, body=yours)
    parse(refused.content.decode())  # valid HTML
    page = lxml.html.fromstring(refused.content.decode())
    panel = page.get_element_by_id("edit-conflict-heading").getparent()
    assert panel.xpath(".//h3/text()") == ["Body"]
    assert panel.xpath(".//del/text()") == [
        "− Second paragraph, corrected by Dana.", "− Third paragraph."
    ]  # fmt: skip
    assert panel.xpath(".//ins/text()") == [
        "+ Second paragraph.", "+ Third paragraph, with Lev's news: שלום."
    ]  # fmt: skip
    # The other's text, to copy from, is not sent with the form.
    assert panel.xpath(".//textarea")[0].text == "\n" + theirs  # a browser drops the first "\n"

    assert panel.xpath(".//textarea/@name") == []
    assert shown_form(refused)["body"] == yours
    article.refresh_from_db()
    assert article.body == theirs
    # Looked over and merged by hand, it saves.
    merged = theirs.replace("Third paragraph.", "Third paragraph, with Lev's news: שלום.")
    assert send(lev, article, shown_form(refused), body=merged).status_code == 302
    article.refresh_from_db()
    assert article.body == merged


def test_the_box_names_who_changed_the_article_not_who_saved_it_unchanged(
    dana, lev, django_user_model
):
    """Saving a form unchanged changes nothing, though the admin's log keeps a line for
    it: that editor is not the one who saved what Dana is refused over."""
    sam = Client()
    sam.force_login(django_user_model.objects.create_superuser("sam", "s@example.org", "pw"))
    article = make_article(title="Night ferry", body=BODY)
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    assert send(lev, article, lev_sent, title="Night ferry cancelled").status_code == 302
    _, sam_sent = change_form(sam, article)
    assert send(sam, article, sam_sent).status_code == 302  # as loaded

    page = send(dana, article, dana_sent, summary="Late again.").content.decode()
    assert "lev saved this article on" in page
    assert "sam saved" not in page


def test_the_same_editor_in_two_tabs_is_told_so(dana):
    article = make_article(title="Night ferry")
    _, first_tab = change_form(dana, article)
    _, second_tab = change_form(dana, article)
    send(dana, article, first_tab, summary="From the first tab.")
    refused = send(dana, article, second_tab, summary="From the second tab.")
    assert "You saved this article in another tab or window on" in refused.content.decode()
    article.refresh_from_db()
    assert article.summary == "From the first tab."


def test_comments_closed_meanwhile_are_taken_in_not_reopened(dana):
    article = make_article(title="Night ferry")
    _, sent = change_form(dana, article)
    actions.set_comments_open(article, is_open=False)
    refused = send(dana, article, sent, title="Night ferry, late")
    page = refused.content.decode()
    assert "changed on" in page and "from the moderation pages, or by an import" in page
    assert "Comments open" in page
    again = shown_form(refused)
    assert "comments_open" not in again
    send(dana, article, again)
    article.refresh_from_db()
    assert (article.title, article.comments_open) == ("Night ferry, late", False)


def test_a_comment_or_a_new_tag_elsewhere_is_no_conflict(dana):
    article = make_article(title="Night ferry")
    _, sent = change_form(dana, article)
    post(article, "First!")
    Tag.objects.create(name="Ferries", slug="ferries")
    assert send(dana, article, sent, title="Night ferry, late").status_code == 302


def test_filing_and_time_changed_meanwhile_are_named_and_kept(dana, lev):
    ferries = Tag.objects.create(name="Ferries", slug="ferries")
    night = Tag.objects.create(name="Night", slug="night")
    city = Section.objects.create(name="City", slug="city")
    byline = Author.objects.create(name="Dana Writer", slug="dana-writer")
    article = make_article(title="Night ferry", tags=[ferries])
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    send(
        dana, article, dana_sent, tags=[str(ferries.pk), str(night.pk)], section=str(city.pk),
        author=str(byline.pk), published_at_0="2026-11-20", published_at_1="08:15:00",
    )  # fmt: skip
    refused = send(lev, article, lev_sent, summary="Late again.")
    assert (
        "as you had not changed them: Author, Section, Tags, Published at."
        in refused.content.decode()
    )
    again = shown_form(refused)
    assert sorted(again["tags"]) == sorted([str(ferries.pk), str(night.pk)])
    assert (again["section"], again["author"]) == (str(city.pk), str(byline.pk))
    assert (again["published_at_0"], again["published_at_1"]) == ("2026-11-20", "08:15:00")
    assert send(lev, article, again).status_code == 302
    article.refresh_from_db()
    assert (article.summary, article.section, article.author) == ("Late again.", city, byline)


@override_settings(TIME_ZONE="Asia/Jerusalem")
def test_a_time_changed_meanwhile_is_taken_in_on_a_site_not_on_utc(dana, lev):
    """The form writes a time in the site's zone and the database gives it back in
    UTC: the same moment, which Lev did not touch, so Dana's new one is taken in."""
    article = make_article(title="Night ferry", body=BODY)
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    assert send(dana, article, dana_sent, published_at_1="01:02:03").status_code == 302
    article.refresh_from_db()
    rescheduled = article.published_at

    refused = send(lev, article, lev_sent, title="Night ferry cancelled")
    assert "as you had not changed them: Published at." in refused.content.decode()
    again = shown_form(refused)
    assert again["published_at_1"] == "01:02:03"
    assert send(lev, article, again).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.published_at) == ("Night ferry cancelled", rescheduled)


def test_a_preview_is_not_refused_for_a_newer_save(dana, lev):
    article = make_article(title="Night ferry")
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    send(dana, article, dana_sent, title="Night ferry, late")
    shown = lev.post(
        f"/admin/newsroom/article/{article.pk}/preview/", {**lev_sent, "title": "Lev's"}
    )
    assert shown.status_code == 200 and "Lev&#x27;s" in shown.content.decode()


def test_a_form_without_what_it_was_loaded_from_saves_as_before(dana):
    article = make_article(title="Night ferry")
    _, sent = change_form(dana, article)
    actions.set_comments_open(article, is_open=False)
    del sent["loaded"]
    assert send(dana, article, sent, title="By a script").status_code == 302


def test_wordpress_notes_renumbered_meanwhile_each_keep_their_text(tmp_path, dana, lev):
    """The notes' boxes are numbered as readers see them: a newer save that swaps the
    references swaps the numbers, and each box's text still goes to its own note."""
    imported(tmp_path)
    article = Article.objects.get()
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    # B is note 1 and A note 2; Dana puts A's reference first.
    body = str(dana_sent["body"])
    swapped = body.replace(ref(B, 1), "@B@").replace(ref(A, 2), ref(B, 1)).replace("@B@", ref(A, 2))
    assert send(dana, article, dana_sent, body=swapped).status_code == 302
    assert notes_shown(article)[0] == "The March estimate, 3--5 million."

    # Lev, loaded before, rewrites his note 1: B's.
    refused = send(lev, article, lev_sent, note_1="Seven to two, said the clerk.")
    assert refused.status_code == 200
    again = shown_form(refused)
    assert again["note_2"] == "Seven to two, said the clerk."  # B is note 2 now
    assert again["note_1"] == "The March estimate, 3--5 million."
    assert again["body"] == swapped
    assert send(lev, article, again).status_code == 302
    assert notes_shown(article)[:2] == [
        "The March estimate, 3--5 million.", "Seven to two, said the clerk."
    ]  # fmt: skip


def errornotes(response) -> list[str]:
    page = lxml.html.fromstring(response.content.decode())
    return [" ".join(p.text_content().split()) for p in page.find_class("errornote")]


def django_banner(errors: int = 1) -> str:
    from django.utils.translation import ngettext

    return ngettext("Please correct the error below.", "Please correct the errors below.", errors)


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_refused_save_says_what_happened_not_that_the_form_has_an_error(dana, lev, language):
    from django.utils import translation

    from broadsheet.newsroom.models import SiteSettings

    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)
    article = make_article(title="Night ferry", body=BODY)
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    send(dana, article, dana_sent, body=BODY.replace("Second", "2nd"))

    refused = send(lev, article, lev_sent, title="Night ferry cancelled")
    with translation.override(language):
        wrong, conflict = django_banner(), translation.gettext("Saved meanwhile")
    (note,) = errornotes(refused)
    assert wrong not in refused.content.decode()
    assert conflict in refused.content.decode()
    with translation.override(language):
        told = translation.gettext(
            "Someone saved this article after you opened it. Nothing of yours was "
            "saved, and your changes are still in the form: look over what the other "
            "save changed (below), then save again."
        )
    assert note == told
    # Said once: not again as a list of errors under the banner.
    assert refused.content.decode().count(told.split(".")[0]) == 1


def test_a_refused_save_with_a_field_in_error_too_keeps_djangos_banner(dana, lev):
    article = make_article(title="Night ferry", body=BODY)
    _, dana_sent = change_form(dana, article)
    _, lev_sent = change_form(lev, article)
    send(dana, article, dana_sent, body=BODY.replace("Second", "2nd"))

    refused = send(lev, article, lev_sent, title="")
    assert refused.status_code == 200
    # The title and the conflict: two errors, and one of them is the form's to correct.
    assert errornotes(refused) == [django_banner(2)]
