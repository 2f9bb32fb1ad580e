"""The queue, its tabs and buttons (with and without JavaScript), blocks, the audit log, reports."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.apps import MODERATORS
from broadsheet.moderation.identity import author_keys
from broadsheet.moderation.models import AuditEntry, Block, Report
from tests.conftest import post
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db
Status = Comment.Status
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def held(article, n: int, **fields) -> list[Comment]:
    comments = [post(article, f"held comment {i}", **fields) for i in range(n)]
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status=Status.PENDING)
    return comments


def test_queue_is_for_staff_only(client, article):
    response = client.get("/moderation/")
    assert response.status_code == 302 and "/admin/login" in response["Location"]


def test_queue_shows_tabs_with_counts_and_each_comment_in_context(staff, article, moderator):
    parent = post(article, "The parent comment", author_name="Pat")
    (child,) = held(article, 1, parent=parent, author_email="kid@example.org")
    Comment.objects.filter(pk=child.pk).update(
        score=0.73, reasons=[{"check": "x", "action": "hold", "reason": "Has 3 links"}]
    )
    spam = post(article, "spammy", honeypot="x")
    actions.report(parent, reason="abuse", reporter_key="k", detail="rude")
    html = staff.get("/moderation/").content.decode()
    assert 'Pending <span class="count">(1)</span>' in html
    assert 'Reported <span class="count">(1)</span>' in html
    assert 'Spam <span class="count">(1)</span>' in html
    assert "Hello world" in html and "In reply to <bdi>Pat</bdi>" in html
    # The title and the address keep their own direction in a page of the other.
    assert f'<a href="{article.get_absolute_url()}" dir="auto">Hello world</a>' in html
    assert "<bdi>&lt;kid@example.org&gt;</bdi>" in html
    assert "0.73" in html and "Has 3 links" in html
    assert "0 other comments" in html
    assert f'value="approve:{child.pk}"' in html
    reported = staff.get("/moderation/?tab=reported").content.decode()
    assert "Abusive or hateful" in reported and "rude" in reported
    assert f'value="keep:{parent.pk}"' in reported
    assert f'value="approve:{spam.pk}"' in staff.get("/moderation/?tab=spam").content.decode()


def test_author_history_shows_other_comments_and_approval_rate(staff, article, moderator):
    jane = {"author_name": "Jane", "author_email": "jane@example.org"}
    kept = [post(article, f"fine {i}", **jane) for i in range(3)]
    actions.reject(kept[0], actor=moderator)
    held(article, 1, **jane)
    html = staff.get("/moderation/").content.decode()
    assert "3 other comments" in html and "67% approved" in html


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("tab", ["pending", "reported", "spam", "decided", "spam&order=score"])
def test_queue_queries_do_not_grow_with_the_queue(staff, article, moderator, tab):
    def fill(n):
        comments = held(article, n, author_email="someone@example.org")
        for c in comments:
            actions.report(c, reason="spam", reporter_key=f"r{c.pk}")
        actions.moderate_many(comments[: n // 2], "spam", actor=moderator)

    fill(4)
    few = queries(staff, f"/moderation/?tab={tab}")
    fill(40)
    assert queries(staff, f"/moderation/?tab={tab}") == few


def test_queue_page_query_count(staff, article, django_assert_num_queries):
    held(article, 60, author_email="x@example.org")
    staff.get("/moderation/")  # sessions and site settings exist from here on
    # session, user, the user's and their groups' permissions (may they moderate?), 3 for
    # the tab counts (the stored Pending and Spam counts, which the pager uses too),
    # page rows, open reports, author history, the moderation settings (the score
    # meter's bands), the site settings and the section menu of the base template.
    with django_assert_num_queries(13):
        response = staff.get("/moderation/?page=2")
    assert response.context["page"].number == 2


@pytest.mark.parametrize("tab", ["pending", "spam"])
def test_the_tabs_and_pager_count_nothing_in_the_comments(staff, article, moderator, tab):
    """The Pending and Spam counts are stored (``discussion.tally``): a page of the queue
    counts no comment, however many wait, and shows the true figures."""
    comments = held(article, 60, author_email="x@example.org")
    actions.moderate_many(comments[:55], "spam", actor=moderator)
    with CaptureQueriesContext(connection) as ctx:
        response = staff.get(f"/moderation/?tab={tab}")
    by_status = 'FROM "discussion_comment" WHERE "discussion_comment"."status"'
    counting = [
        q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and by_status in q["sql"]
    ]
    assert counting == []
    html = response.content.decode()
    assert 'Pending <span class="count">(5)</span>' in html
    assert 'Spam <span class="count">(55)</span>' in html
    assert response.context["page"].paginator.count == {"pending": 5, "spam": 55}[tab]
    assert response.context["page"].paginator.num_pages == {"pending": 1, "spam": 2}[tab]


def test_pager_links_keep_the_tab_and_the_author(staff, article):
    comments = held(article, 60, author_email="x@example.org")
    page = staff.get(f"/moderation/?tab=pending&author={comments[0].pk}").content.decode()
    assert f'href="?tab=pending&amp;author={comments[0].pk}&amp;page=2" rel="next">Next »' in page
    queue = staff.get("/moderation/?page=2").content.decode()
    assert 'href="?tab=pending&amp;page=1" rel="prev">« Previous' in queue


def test_the_queue_can_be_read_by_the_filters_score(staff, article):
    comments = held(article, 4)
    for comment, score in zip(comments, [0.2, None, 0.9, 0.5], strict=True):
        Comment.objects.filter(pk=comment.pk).update(score=score)
    a, unscored, c, d = comments

    def order(query: str) -> list[int]:
        return [x.pk for x in staff.get(f"/moderation/{query}").context["comments"]]

    assert order("") == [a.pk, unscored.pk, c.pk, d.pk]  # the oldest first
    assert order("?tab=pending&order=score") == [c.pk, d.pk, a.pk, unscored.pk]
    assert order("?tab=pending&order=lowest") == [a.pk, d.pk, c.pk, unscored.pk]
    assert order("?tab=pending&order=newest") == [d.pk, c.pk, unscored.pk, a.pk]
    assert order("?tab=pending&order=nonsense") == order("")
    page = staff.get("/moderation/?tab=pending&order=score").content.decode()
    assert '<a href="?tab=pending&amp;order=score" aria-current="true">' in page
    # The pager keeps the order; the default order needs no parameter.
    held(article, 60)
    page = staff.get("/moderation/?tab=pending&order=score").content.decode()
    assert 'href="?tab=pending&amp;order=score&amp;page=2" rel="next">' in page
    assert (
        'href="?tab=pending&amp;page=2" rel="next">' in staff.get("/moderation/").content.decode()
    )


def test_one_button_decides_one_comment_without_javascript(staff, article):
    a, b = held(article, 2)
    response = staff.post(
        "/moderation/decide", {"one": f"approve:{a.pk}", "ids": [b.pk], "next": "/moderation/"}
    )
    assert response.status_code == 302 and response["Location"] == "/moderation/"
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status) == (Status.APPROVED, Status.PENDING)


def test_bulk_action_on_the_ticked_comments(staff, article):
    a, b, c = held(article, 3)
    staff.post("/moderation/decide", {"action": "spam", "ids": [a.pk, c.pk]})
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {a.pk: Status.SPAM, b.pk: Status.PENDING, c.pk: Status.SPAM}


def test_bulk_keep_dismisses_reports(staff, article):
    comment = post(article, "contested")
    actions.report(comment, reason="abuse", reporter_key="k")
    staff.post("/moderation/decide", {"action": "keep", "ids": [comment.pk]})
    assert Report.objects.get().status == Report.Status.DISMISSED


def test_unknown_decision_and_foreign_next_are_refused(staff, article):
    (a,) = held(article, 1)
    assert staff.post("/moderation/decide", {"one": f"frobnicate:{a.pk}"}).status_code == 400
    response = staff.post(
        "/moderation/decide", {"one": f"reject:{a.pk}", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/moderation/"


@pytest.mark.parametrize(
    "target", ["queue", "foo:bar", "javascript:alert(1)", "//evil.example/x", "moderation/", ""]
)
def test_a_next_that_is_not_a_path_here_goes_back_to_the_queue(staff, article, target):
    # A bare word once reached Django's redirect(), which took it for a view's name:
    # a 500 after the decision was saved.
    (a,) = held(article, 1)
    response = staff.post(f"/moderation/{a.pk}/decide", {"action": "reject", "next": target})
    assert (response.status_code, response["Location"]) == (302, "/moderation/")
    assert Comment.objects.get(pk=a.pk).status == Status.REJECTED
    response = staff.post("/moderation/undo", {"next": target})
    # At the message, drawn in the comment the undo put back.
    assert (response.status_code, response["Location"]) == (302, "/moderation/#said")
    assert Comment.objects.get(pk=a.pk).status == Status.PENDING
    kept = staff.post(
        f"/moderation/{a.pk}/decide", {"action": "spam", "next": "/moderation/?tab=spam"}
    )
    assert kept["Location"] == "/moderation/?tab=spam"


def test_decisions_need_the_csrf_token(client, moderator, article):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    (a,) = held(article, 1)
    assert strict.post("/moderation/decide", {"one": f"approve:{a.pk}"}).status_code == 403


def test_undo_button_reverses_the_moderators_last_decision(staff, article, moderator):
    (a,) = held(article, 1)
    staff.post("/moderation/decide", {"one": f"reject:{a.pk}"})
    staff.post("/moderation/undo", {"next": "/moderation/"})
    a.refresh_from_db()
    assert a.status == Status.PENDING
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNDO, actor=moderator).exists()


def test_recently_decided_tab_lists_decisions_with_undo(staff, article, moderator):
    (a,) = held(article, 1)
    entry = actions.reject(a, actor=moderator)
    html = staff.get("/moderation/?tab=decided").content.decode()
    assert "Rejected" in html and f'name="entry" value="{entry.pk}"' in html
    staff.post("/moderation/undo", {"entry": entry.pk})
    a.refresh_from_db()
    assert a.status == Status.PENDING
    # What was undone no longer stands: neither listed nor counted.
    html = staff.get("/moderation/?tab=decided").content.decode()
    assert f'name="entry" value="{entry.pk}"' not in html
    assert "0 decisions in the last two days" in html


def test_recently_decided_is_counted_once_for_the_tab_and_its_pager(staff, article, moderator):
    """Counting the decisions that still stand looks each up against later ones: the
    tab's count serves the pager too."""
    actions.moderate_many(held(article, 60), "reject", actor=moderator)
    with CaptureQueriesContext(connection) as ctx:
        response = staff.get("/moderation/?tab=decided&page=2")
    counting = [
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"] and 'FROM "moderation_auditentry"' in q["sql"]
    ]
    assert len(counting) == 1
    assert response.context["page"].paginator.count == 60
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 10
    assert 'Recently decided <span class="count">(60)</span>' in response.content.decode()


def test_without_the_audit_log_recently_decided_lists_only_ones_own_decisions(
    client, article, moderator, django_user_model
):
    from django.contrib.auth.models import Permission

    mine, theirs = held(article, 2, author_name="Jane")
    junior = make_moderator("junior", first_name="Junior")
    # An operator took the audit log from this account (the group grants it).
    junior.groups.clear()
    junior.user_permissions.add(
        Permission.objects.get(content_type__app_label="discussion", codename="change_comment")
    )
    own = actions.reject(mine, actor=junior)
    other = actions.mark_spam(theirs, actor=moderator)
    client.force_login(junior)
    page = client.get("/moderation/?tab=decided").content.decode()
    assert f'name="entry" value="{own.pk}"' in page
    assert f'name="entry" value="{other.pk}"' not in page and ">mod<" not in page
    assert "mod —" not in page and 'Recently decided <span class="count">(1)</span>' in page
    assert "Your 1 decision of the last two days that still stands" in page
    # Nor can the other moderator's decision be undone by its number.
    assert client.post("/moderation/undo", {"entry": other.pk}).status_code == 404
    assert Comment.objects.get(pk=theirs.pk).status == Status.SPAM
    client.post("/moderation/undo", {"entry": own.pk})
    assert Comment.objects.get(pk=mine.pk).status == Status.PENDING
    # A moderator who reads the log sees everyone's, each with who decided it.
    client.force_login(moderator)
    page = client.get("/moderation/?tab=decided").content.decode()
    assert f'name="entry" value="{other.pk}"' in page and "mod —" in page


def test_undo_takes_back_a_bulk_decision_whole(staff, article, moderator):
    a, b, c, d = held(article, 4)
    staff.post("/moderation/decide", {"one": f"approve:{d.pk}"})
    response = staff.post("/moderation/decide", {"action": "reject", "ids": [a.pk, b.pk, c.pk]})
    said = " ".join(m.message for m in response.wsgi_request._messages)
    assert "Rejected: 3 comments." in said
    response = staff.post("/moderation/undo", {"next": "/moderation/"})
    said = " ".join(m.message for m in response.wsgi_request._messages)
    assert "Undid “Rejected” on 3 comments." in said
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[x.pk] for x in (a, b, c, d)] == ["pending"] * 3 + ["approved"]
    # The decision before it is next.
    staff.post("/moderation/undo", {"next": "/moderation/"})
    d.refresh_from_db()
    assert d.status == Status.PENDING


def test_undo_takes_back_a_bulk_keep_whole(staff, article, rules):
    """Keep on the Reported tab's ticked comments is one decision, as Approve is: the
    message offers u to undo it, and u reopens every one's reports."""
    rules.reports_to_hide = 2
    rules.save()
    shown = post(article, "contested but up")
    hidden = post(article, "hidden by readers")
    for reader in ("r1", "r2"):
        actions.report(hidden, reason="abuse", reporter_key=reader)
    actions.report(shown, reason="spam", reporter_key="r1")
    hidden.refresh_from_db()
    assert hidden.status == Status.PENDING
    tab = staff.get("/moderation/?tab=reported").content.decode()
    assert 'Reported <span class="count">(2)</span>' in tab
    response = staff.post("/moderation/decide", {"action": "keep", "ids": [shown.pk, hidden.pk]})
    said = " ".join(m.message for m in response.wsgi_request._messages)
    assert "Kept: 2 comments." in said
    assert not Report.objects.filter(status=Report.Status.OPEN).exists()
    article.refresh_from_db()
    assert article.comment_count == 2

    response = staff.post("/moderation/undo", {"next": "/moderation/?tab=reported"})
    said = " ".join(m.message for m in response.wsgi_request._messages)
    assert "on 2 comments." in said
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 3
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert (statuses[shown.pk], statuses[hidden.pk]) == (Status.APPROVED, Status.PENDING)
    article.refresh_from_db()
    assert article.comment_count == 1
    tab = staff.get("/moderation/?tab=reported").content.decode()
    assert 'Reported <span class="count">(2)</span>' in tab


def test_keyboard_script_is_loaded_and_buttons_carry_keys(staff, article):
    held(article, 1)
    html = staff.get("/moderation/").content.decode()
    assert "broadsheet/moderation.js" in html
    assert 'data-key="a"' in html and 'data-key="r"' in html and 'data-key="s"' in html
    assert staff.get("/static/broadsheet/moderation.js").status_code == 200


def test_block_from_the_queue_for_a_time_and_unblock(staff, article, moderator):
    comment = post(article, "troll", author_email="t@example.org", ip_address="192.0.2.8")
    page = staff.get(f"/moderation/{comment.pk}/block").content.decode()
    assert "E-mail" in page and "IP address" in page and "Account" not in page
    response = staff.post(
        f"/moderation/{comment.pk}/block", {"kinds": ["email"], "days": "7", "reason": "abuse"}
    )
    assert response.status_code == 302
    block = Block.objects.get()
    assert block.kind == "email" and block.expires_at is not None
    listing = staff.get("/moderation/blocks/").content.decode()
    assert "troll" not in listing and "t@example.org" not in listing
    assert "abuse" in listing
    staff.post(f"/moderation/blocks/{block.pk}/unblock")
    assert not Block.objects.exists()


def test_the_block_page_names_each_address_and_leaves_a_shared_one_unticked(staff, article):
    office = "198.51.100.4"
    troll = post(article, "troll", author_email="t@example.org", ip_address=office)
    for n in range(3):  # colleagues on the same network
        post(
            article,
            f"fair point {n}",
            author_name=f"Colleague {n}",
            author_email=f"c{n}@example.org",
            ip_address=office,
        )
    post(article, "again", author_email="t@example.org", ip_address=office)  # the troll again
    page = staff.get(f"/moderation/{troll.pk}/block").content.decode()
    assert "E-mail: t@example.org" in page
    assert f"IP address: {office} (also used by 3 other authors in the last 90 days" in page
    ticked = re.findall(r'<input type="checkbox" name="kinds" value="(\w+)"[^>]*checked', page)
    assert ticked == ["email"]
    # Alone on its address, the address is ticked too.
    lone = post(article, "spam", author_email="s@example.org", ip_address="192.0.2.99")
    page = staff.get(f"/moderation/{lone.pk}/block").content.decode()
    assert re.findall(r'<input type="checkbox" name="kinds" value="(\w+)"[^>]*checked', page) == [
        "email", "ip",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("address", "neighbour"),
    [
        # An office or a home on IPv6: each machine its own address, one /64 for all.
        ("2001:db8:1:2::a", "2001:db8:1:2:5054:ff:fe12:3456"),
        ("2001:db8:0:2::a", "2001:db8:0:2::b"),
        # IPv4 seen through IPv6 (as imports keep it) is that IPv4 address, however written.
        ("::ffff:192.0.2.7", "192.0.2.7"),
    ],
)
def test_the_block_page_counts_authors_the_address_block_would_also_block(
    staff, article, address, neighbour
):
    author = post(article, "troll", author_email="t@example.org", ip_address=address)
    post(article, "fair point", author_name="Neighbour", ip_address=neighbour)
    post(article, "elsewhere", author_name="Far away", ip_address="2001:db8:9:9::1")
    page = staff.get(f"/moderation/{author.pk}/block").content.decode()
    assert f"IP address: {address} (also used by 1 other author in the last 90 days" in page
    ticked = re.findall(r'<input type="checkbox" name="kinds" value="(\w+)"[^>]*checked', page)
    assert ticked == ["email"]
    # The count says who the block reaches: the neighbour's comments are refused with it.
    staff.post(f"/moderation/{author.pk}/block", {"kinds": ["ip"], "days": ""})
    keys = author_keys(ip=neighbour).values()
    assert Block.objects.active().filter(key__in=keys).exists()


def test_the_block_form_offers_a_week_first(staff, article):
    comment = post(article, "troll", author_email="t@example.org")
    page = staff.get(f"/moderation/{comment.pk}/block").content.decode()
    chosen = re.findall(r'<option value="(\d*)"[^>]*selected', page)
    assert chosen == ["7"]
    # Sent as it is shown, the block ends in a week.
    staff.post(f"/moderation/{comment.pk}/block", {"kinds": ["email"], "days": chosen[0]})
    left = Block.objects.get().expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < left <= timedelta(days=7)


def test_a_moderator_who_may_not_lift_blocks_is_told_before_blocking(client, article):
    from django.contrib.auth.models import Permission

    comment = post(article, "troll", author_email="t@example.org")
    junior = make_moderator("junior")
    junior.groups.clear()
    junior.user_permissions.add(*(
        Permission.objects.get(content_type__app_label=app, codename=code)
        for app, code in [("discussion", "change_comment"), ("moderation", "add_block")]
    ))  # fmt: skip
    client.force_login(junior)
    said = "You may block authors but not lift blocks"
    assert said in client.get(f"/moderation/{comment.pk}/block").content.decode()
    client.force_login(make_moderator("senior"))
    assert said not in client.get(f"/moderation/{comment.pk}/block").content.decode()


def test_block_for_good(staff, article):
    comment = post(article, "troll", author_email="t@example.org")
    staff.post(f"/moderation/{comment.pk}/block", {"kinds": ["email"], "days": ""})
    assert Block.objects.get().expires_at is None


def test_audit_log_page_lists_who_did_what(staff, article, moderator):
    comment = post(article, "Hello", author_name="Jane")
    actions.mark_spam(comment, actor=moderator)
    html = staff.get("/moderation/log/").content.decode()
    assert "mod" in html and "Marked as spam" in html and "approved → spam" in html
    filtered = staff.get("/moderation/log/?action=block").content.decode()
    assert "Marked as spam</td>" not in filtered


@pytest.mark.parametrize("action", ["%00", "sp%00am", "no-such-action"])
def test_the_audit_log_asked_for_an_action_it_does_not_know_shows_every_entry(
    staff, article, moderator, action
):
    # As an unknown tab of the queue is its Pending tab. A NUL in the filter was a 500
    # on PostgreSQL (its text holds none); elsewhere the page listed nothing.
    actions.mark_spam(post(article, "Hello", author_name="Jane"), actor=moderator)
    answer = staff.get(f"/moderation/log/?action={action}")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Marked as spam</td>" in html
    # The filter shows what is listed: All (its first choice, none marked chosen).
    chooser = html[html.index('id="log-action"') : html.index("</select>")]
    assert "selected" not in chooser


def test_a_late_page_of_the_audit_log_is_found_by_its_ids_not_by_joined_rows(
    staff, article, moderator
):
    """Page 500 of the log read and joined the 49,900 entries it skipped (610 ms among
    150,000 on PostgreSQL): the page's ids are found first, then only their rows."""
    actions.moderate_many(held(article, 130), "reject", actor=moderator)
    actions.moderate_many(held(article, 5), "spam", actor=moderator)
    with CaptureQueriesContext(connection) as ctx:
        response = staff.get("/moderation/log/?page=2")
    # The SELECT that skips (its OFFSET's own, inside any other) joins nothing.
    skipping = [
        sql[sql.rindex("SELECT", 0, sql.index("OFFSET")) : sql.index("OFFSET")]
        for sql in (q["sql"] for q in ctx.captured_queries)
        if "OFFSET" in sql
    ]
    assert skipping and all("JOIN" not in select for select in skipping)
    newest_first = AuditEntry.objects.order_by("-created_at", "-id")
    shown = [e.pk for e in response.context["page"].object_list]
    assert shown == list(newest_first.values_list("pk", flat=True)[100:135])
    assert "Page 2 of 2" in response.content.decode()
    rejections = staff.get("/moderation/log/?action=reject&page=2").context["page"]
    assert [e.pk for e in rejections.object_list] == list(
        newest_first.filter(action="reject").values_list("pk", flat=True)[100:130]
    )


# Readers' reports


def test_each_visible_comment_links_to_its_report_form(client, article):
    comment = post(article, "Hello")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/moderation/report/{comment.pk}"' in html


def test_report_form_works_without_javascript_and_without_a_token(client, article):
    comment = post(article, "Offensive words")
    page = client.get(f"/moderation/report/{comment.pk}")
    assert page.status_code == 200 and "Abusive or hateful" in page.content.decode()
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "public" in page["Cache-Control"]
    response = client.post(
        f"/moderation/report/{comment.pk}", {"reason": "abuse", "detail": "slur"}, **ORIGIN
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    report = Report.objects.get()
    assert (report.reason, report.detail, report.comment) == ("abuse", "slur", comment)
    assert "127.0.0.1" not in report.reporter_key


def test_reporting_twice_counts_once(client, article):
    comment = post(article, "Offensive words")
    for _ in range(2):
        response = client.post(f"/moderation/report/{comment.pk}", {"reason": "abuse"}, **ORIGIN)
    assert "already reported" in response.content.decode()
    assert Report.objects.count() == 1


def test_report_from_another_site_is_refused(client, article):
    comment = post(article, "Hello")
    response = client.post(
        f"/moderation/report/{comment.pk}",
        {"reason": "spam"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_report_without_a_reason_is_a_clear_error(client, article):
    comment = post(article, "Hello")
    response = client.post(f"/moderation/report/{comment.pk}", {"reason": ""}, **ORIGIN)
    assert response.status_code == 400
    assert "required" in response.content.decode()


def test_hidden_or_unknown_comments_cannot_be_reported(client, article):
    (comment,) = held(article, 1)
    assert client.get(f"/moderation/report/{comment.pk}").status_code == 404
    assert client.get("/moderation/report/999999").status_code == 404


def test_report_hides_after_n_and_the_page_count_follows(client, article, rules):
    rules.reports_to_hide = 2
    rules.save()
    comment = post(article, "Contested")
    for ip in ("192.0.2.1", "192.0.2.2"):
        client.post(
            f"/moderation/report/{comment.pk}", {"reason": "abuse"}, REMOTE_ADDR=ip, **ORIGIN
        )
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"0 Comments", html)


@pytest.mark.parametrize("bad", ["²", "١٢", "１", "99999999999999999999", "-1", "0", "1e3"])
def test_ids_that_are_not_plain_numbers_in_range_are_a_400_or_ignored(
    staff, article, moderator, bad
):
    (a,) = held(article, 1)
    assert (
        staff.post("/moderation/decide", {"action": "approve", "ids": [a.pk, bad]}).status_code
        == 400
    )
    assert staff.post("/moderation/decide", {"one": f"approve:{bad}"}).status_code == 400
    assert Comment.objects.get(pk=a.pk).status == Status.PENDING
    # An author filter that is no id is no filter.
    assert staff.get(f"/moderation/?author={bad}").status_code == 200
    # An undo entry that is no id is refused; it does not undo the last decision instead.
    actions.moderate(a, AuditEntry.Action.REJECT, actor=moderator)
    assert staff.post("/moderation/undo", {"entry": bad}).status_code == 400
    assert Comment.objects.get(pk=a.pk).status == Status.REJECTED
    assert AuditEntry.objects.count() == 1


def test_only_staff_who_may_change_comments_moderate(client, article, django_user_model):
    comment = held(article, 1)[0]
    writer = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    client.force_login(writer)
    # A writer of articles sees no commenter's address and decides nothing.
    for url in ("/moderation/", "/moderation/log/", "/moderation/filter/"):
        assert client.get(url).status_code == 403, url
    decision = {"action": "approve"}
    assert client.post(f"/moderation/{comment.pk}/decide", decision).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    # Put in the Moderators group, the same account may.
    writer.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(django_user_model.objects.get(pk=writer.pk))
    assert client.get("/moderation/").status_code == 200
    client.logout()
    assert client.get("/moderation/").status_code == 302  # to the sign-in page


def test_the_admin_leads_moderators_to_the_queue(client, moderator, django_user_model):
    client.force_login(moderator)
    assert 'href="/moderation/">Moderation queue</a>' in client.get("/admin/").content.decode()
    writer = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    client.force_login(writer)
    assert "Moderation queue" not in client.get("/admin/").content.decode()


def test_author_history_leaves_out_the_comment_and_says_when_nobody_is_known(staff, article):
    spam = post(article, "first ever, and spam", author_email="new@example.org", honeypot="x")
    post(article, "no address given", author_name="Yasmin")
    Comment.objects.filter(author_name="Yasmin").update(status=Status.PENDING)
    spam_tab = staff.get("/moderation/?tab=spam").content.decode()
    assert spam.status == Status.SPAM
    # Its own verdict is not its author's history: nobody has decided on them before.
    assert "0 other comments" in spam_tab and "% approved" not in spam_tab
    pending = staff.get("/moderation/").content.decode()
    assert "Not known: no e-mail address or account" in pending


def test_a_moderator_can_act_on_a_published_comment_from_its_page(
    client, article, moderator, django_user_model
):
    published = post(article, "Published, and nobody reported it.")
    link = f'href="/moderation/{published.pk}/"'
    assert link not in client.get(article.get_absolute_url()).content.decode()
    writer = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    client.force_login(writer)
    assert link not in client.get(article.get_absolute_url()).content.decode()
    client.force_login(moderator)
    assert link in client.get(article.get_absolute_url()).content.decode()
    response = client.get(f"/moderation/{published.pk}/")
    assert response["Location"] == f"/moderation/?author={published.pk}#q-{published.pk}"
    queue = client.get(response["Location"]).content.decode()
    assert f'value="reject:{published.pk}"' in queue and f'value="spam:{published.pk}"' in queue


def test_the_score_meter_is_banded_by_the_sites_thresholds(staff, article):
    (comment,) = held(article, 1)
    Comment.objects.filter(pk=comment.pk).update(score=0.92)
    html = staff.get("/moderation/").content.decode()
    assert 'low="0.500" high="0.950" optimum="0" value="0.920"' in html


@pytest.mark.parametrize(
    ("hide_after", "said"),
    [
        (0, "Reporting does not take a comment down"),
        (1, "A reported comment is hidden until a moderator has looked at it."),
        (3, "A comment that 3 readers report is hidden"),
    ],
)
def test_the_report_page_says_what_reports_do_here(client, article, hide_after, said):
    from broadsheet.moderation.models import ModerationSettings

    rules = ModerationSettings.load()
    rules.reports_to_hide = hide_after
    rules.save()
    comment = post(article, "Something to report")
    assert said in client.get(f"/moderation/report/{comment.pk}").content.decode()


def test_undo_leaves_a_comment_someone_has_decided_on_since(staff, article, moderator):
    from tests.moderation.conftest import make_moderator

    a, b = held(article, 2)
    staff.post("/moderation/decide", {"action": "reject", "ids": [a.pk, b.pk]})
    other = make_moderator("other")
    later = actions.mark_spam(Comment.objects.get(pk=b.pk), actor=other)
    response = staff.post("/moderation/undo", {"next": "/moderation/"})
    said = " ".join(m.message for m in response.wsgi_request._messages)
    assert "Undid “Rejected” on #" in said and "1 comment was changed since" in said
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert (statuses[a.pk], statuses[b.pk]) == (Status.PENDING, Status.SPAM)
    # Recently decided: only what stands, the other moderator's spam among it.
    decided = staff.get("/moderation/?tab=decided").content.decode()
    assert f'name="entry" value="{later.pk}"' in decided
    assert "1 decision in the last two days" in decided


def test_undo_passes_over_a_decision_someone_changed_since_instead_of_sticking(
    staff, article, moderator
):
    from tests.moderation.conftest import make_moderator

    a, b = held(article, 2)
    staff.post("/moderation/decide", {"one": f"approve:{a.pk}"})
    staff.post("/moderation/decide", {"one": f"approve:{b.pk}"})
    actions.reject(Comment.objects.get(pk=b.pk), actor=make_moderator("other"))
    # The latest decision of this moderator that still stands is undone: the one on a.
    response = staff.post("/moderation/undo", {"next": "/moderation/"})
    said = " ".join(m.message for m in response.wsgi_request._messages)
    assert f"Undid “Approved” on #{a.pk}" in said
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert (statuses[a.pk], statuses[b.pk]) == (Status.PENDING, Status.REJECTED)
    response = staff.post("/moderation/undo", {"next": "/moderation/"})
    assert [m.message for m in response.wsgi_request._messages][-1] == "Nothing to undo."


def test_a_decision_from_a_page_shown_before_another_moderators_is_not_applied(
    staff, article, moderator
):
    from tests.moderation.conftest import make_moderator

    a, b = held(article, 2)
    page = staff.get("/moderation/").content.decode()
    shown = [f"{a.pk}:pending", f"{b.pk}:pending"]
    assert all(f'name="was" value="{w}"' in page for w in shown)
    actions.approve(Comment.objects.get(pk=a.pk), actor=make_moderator("other"))
    response = staff.post(
        "/moderation/decide", {"action": "spam", "ids": [a.pk, b.pk], "was": shown}
    )
    said = " ".join(m.message for m in response.wsgi_request._messages)
    assert (
        f"1 comment was decided by someone else after this page was shown (#{a.pk} is now approved)"
        in said
    )
    assert "Marked as spam: 1 comment" in said
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert (statuses[a.pk], statuses[b.pk]) == (Status.APPROVED, Status.SPAM)
    # One button, the same.
    response = staff.post("/moderation/decide", {"one": f"reject:{a.pk}", "was": shown})
    assert Comment.objects.get(pk=a.pk).status == Status.APPROVED


def test_blocks_and_the_audit_log_need_their_own_permissions(client, article, django_user_model):
    from django.contrib.auth.models import Permission

    comment = held(article, 1)[0]
    user = django_user_model.objects.create_user("comments-only", password="pw", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="discussion", codename="change_comment")
    )
    client.force_login(user)
    assert client.get("/moderation/").status_code == 200
    for url in ("/moderation/blocks/", "/moderation/log/", f"/moderation/{comment.pk}/block"):
        assert client.get(url).status_code == 403, url


def _moderation_links(page: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="(/moderation/[^"#]*)', page)}


def _unopened_links(client, start: list[str]) -> dict[str, int]:
    """Every moderation page reachable by the links drawn for ``client``, from ``start``:
    those that do not open for it, with their status."""
    seen, todo, refused = set(), list(start), {}
    while todo:
        url = todo.pop()
        if url in seen or "/report/" in url:  # the readers' report form is not a staff page
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200:
            refused[url] = response.status_code
            continue
        todo.extend(_moderation_links(response.content.decode()))
    return refused


@pytest.mark.parametrize(
    "held_back",
    [
        # A moderator an operator kept from blocks, the log and the word lists.
        {"view_block", "add_block", "change_block", "delete_block", "view_auditentry",
         "view_wordrule", "add_wordrule", "change_wordrule", "delete_wordrule"},
        # One who may see blocks but not lift them, nor make them.
        {"add_block", "delete_block"},
    ],
)  # fmt: skip
def test_a_moderator_is_shown_only_the_links_and_buttons_their_permissions_open(
    client, article, moderator, held_back
):
    comment = post(article, "Hello", author_email="t@example.org", ip_address="192.0.2.50")
    actions.report(comment, reason="abuse", reporter_key="k")
    actions.block_author(comment, actor=moderator, kinds=[Block.Kind.EMAIL])
    held(article, 1)
    user = make_moderator("kept-back")
    group_permissions = Group.objects.get(name=MODERATORS).permissions.all()
    user.groups.clear()
    user.user_permissions.set(group_permissions.exclude(codename__in=held_back))
    client.force_login(user)
    tabs = [f"/moderation/?tab={tab}" for tab in ("pending", "reported", "spam", "decided")]
    assert _unopened_links(client, tabs) == {}
    blocks = client.get("/moderation/blocks/")
    if blocks.status_code == 200:
        assert "Unblock" not in blocks.content.decode()
    # Each is still refused when asked for directly.
    for url in [f"/moderation/{comment.pk}/block", *(
        ["/moderation/blocks/", "/moderation/log/", "/moderation/words/"]
        if "view_block" in held_back else []
    )]:  # fmt: skip
        assert client.get(url).status_code == 403, url
    # The Moderators group itself opens every link it is shown.
    client.force_login(moderator)
    assert _unopened_links(client, tabs) == {}
    assert "Unblock" in client.get("/moderation/blocks/").content.decode()


def test_moderation_pages_typed_with_a_final_slash_are_sent_to_the_page(staff, article):
    comment = post(article, "Hello", ip_address="192.0.2.40")
    for typed, page in [
        (f"/moderation/{comment.pk}/block/", f"/moderation/{comment.pk}/block"),
        (f"/moderation/report/{comment.pk}/", f"/moderation/report/{comment.pk}"),
        (
            f"/moderation/report/{comment.pk}/?from=mail",
            f"/moderation/report/{comment.pk}?from=mail",
        ),
        # And the other way: a list page typed without its slash.
        ("/moderation/words", "/moderation/words/"),
        ("/moderation/blocks", "/moderation/blocks/"),
    ]:
        response = staff.get(typed)
        assert (response.status_code, response["Location"]) == (301, page), typed
        assert staff.get(page).status_code == 200, page


def test_a_form_posted_to_a_slashed_address_is_not_redirected_or_acted_on(staff, article):
    comment = post(article, "Hello", ip_address="192.0.2.41")
    response = staff.post(f"/moderation/{comment.pk}/block/", {"kinds": ["ip"]})
    assert response.status_code == 405
    assert not Block.objects.exists()
    # The POST endpoints answer as before.
    assert staff.post(f"/moderation/{comment.pk}/block", {"kinds": ["ip"]}).status_code == 302
    assert Block.objects.count() == 1


@pytest.mark.parametrize(("tab", "order"), [("pending", ""), ("spam", ""), ("pending", "newest")])
def test_a_late_page_of_a_tab_lists_its_comments_in_order(staff, article, moderator, tab, order):
    """The page's ids are read first (from the queue index), then their rows: the same
    comments, in the same order, as the tab's order gives."""
    comments = held(article, 120, author_email="x@example.org")
    if tab == "spam":
        actions.moderate_many(comments, "spam", actor=moderator)
    newest = (order or ("newest" if tab == "spam" else "oldest")) == "newest"
    expected = [c.pk for c in (reversed(comments) if newest else comments)][100:]
    html = staff.get(f"/moderation/?tab={tab}&order={order}&page=3").content.decode()
    assert [int(p.split('"', 1)[0]) for p in html.split('<li id="q-')[1:]] == expected
    assert "Page 3 of 3" in html


def test_a_reason_said_in_english_keeps_its_direction_on_a_hebrew_site(staff, article):
    """A reason an older release stored in English, with values in it, is shown as it
    was stored: on a Hebrew page its full stop stays at its end, where the page's
    direction drew it before the sentence."""
    from broadsheet.newsroom.actions import save_site_settings
    from broadsheet.newsroom.models import SiteSettings

    site = SiteSettings.load()
    site.language = "he"
    save_site_settings(site)
    (comment,) = held(article, 1)
    reason = "Has 4 links (more than 2)."
    Comment.objects.filter(pk=comment.pk).update(
        reasons=[{"check": "too_many_links", "action": "hold", "reason": reason}]
    )
    page = staff.get("/moderation/").content.decode()
    assert f'<li dir="auto">{reason}</li>' in page
