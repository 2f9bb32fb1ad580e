"""A JSON backup restores the site's accounts, and the blocks keyed by them and by SECRET_KEY."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.base import CommandError
from django.test import override_settings

from broadsheet.discussion.exceptions import CommentRefused
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation
from broadsheet.moderation.apps import MODERATORS
from broadsheet.moderation.models import AuditEntry, Block, Report, WordRule
from broadsheet.newsroom.models import Article, Author
from tests.conftest import make_article, post
from tests.interchange.conftest import run_export, run_import, tally
from tests.interchange.test_roundtrip import wipe

pytestmark = pytest.mark.django_db


def _staffed_site(django_user_model):
    """A site with a moderator, a custom group, a signed-in reader and their blocks."""
    mona = django_user_model.objects.create_user(
        "mona", "mona@example.org", "mona-pass-123", is_staff=True, first_name="Mona"
    )
    mona.groups.add(Group.objects.get(name=MODERATORS))
    desk = Group.objects.create(name="Night desk")
    desk.permissions.add(Permission.objects.get(codename="view_auditentry"))
    mona.groups.add(desk)
    mona.user_permissions.add(Permission.objects.get(codename="add_article"))
    reader = django_user_model.objects.create_user("rita", "rita@example.org", "rita-pass-123")
    author = Author.objects.create(name="Mona Writer", slug="mona-writer", user=mona)
    article = make_article(author=author)
    signed = post(article, "Signed in and rude", user=reader, ip_address="192.0.2.9")
    moderation.block_author(signed, actor=mona, kinds=["user"], reason="rude")
    moderation.report(post(article, "Another one"), reason="spam", reporter_key="0" * 64)
    return mona, reader, signed


def _empty_site(django_user_model) -> None:
    """A new installation: no content, no accounts, only the groups ``migrate`` makes."""
    wipe()
    django_user_model.objects.all().delete()
    Group.objects.exclude(name=MODERATORS).delete()
    Group.objects.get(name=MODERATORS).permissions.clear()


def test_a_restore_gives_back_the_accounts_their_passwords_groups_and_permissions(
    django_user_model, tmp_path
):
    _, _, signed = _staffed_site(django_user_model)
    moderators = set(Group.objects.get(name=MODERATORS).permissions.all())
    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"))
    _empty_site(django_user_model)

    output = run_import("json", backup, "--no-train")

    restored = django_user_model.objects.get(username="mona")
    assert restored.check_password("mona-pass-123")
    assert (restored.is_staff, restored.is_active, restored.first_name) == (True, True, "Mona")
    assert {g.name for g in restored.groups.all()} == {MODERATORS, "Night desk"}
    assert restored.has_perm("newsroom.add_article")
    assert restored.has_perm("moderation.view_auditentry")  # through the Night desk group
    assert set(Group.objects.get(name=MODERATORS).permissions.all()) == moderators
    assert Author.objects.get(slug="mona-writer").user == restored
    assert Comment.objects.get(pk=signed.pk).user.username == "rita"
    assert set(AuditEntry.objects.values_list("actor__username", flat=True)) == {"mona"}
    assert Block.objects.get().created_by == restored
    assert tally(output, "accounts") == [2, 2, 0, 0, 0]


def test_an_account_already_on_the_new_site_is_kept_as_it_is(django_user_model, tmp_path):
    _staffed_site(django_user_model)
    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"))
    _empty_site(django_user_model)
    # The operator made their own account first, as `createsuperuser` does.
    django_user_model.objects.create_superuser("mona", "new@example.org", "new-password-99")

    output = run_import("json", backup, "--no-train")

    mona = django_user_model.objects.get(username="mona")
    assert mona.check_password("new-password-99") and mona.email == "new@example.org"
    assert not mona.groups.exists()
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {mona.pk}
    assert tally(output, "accounts") == [2, 1, 0, 1, 0]


def test_a_block_by_account_follows_the_account_to_its_new_id(django_user_model, tmp_path):
    _, reader, signed = _staffed_site(django_user_model)
    reported = Comment.objects.exclude(pk=signed.pk).get()
    moderation.report(reported, reason="abuse", reporter_key=_reporter_key(reader.pk))
    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"))
    old_id = reader.pk
    _empty_site(django_user_model)
    # The reader's id is taken on the new site: the restore gives the reader another.
    django_user_model.objects.create_user("operator", pk=old_id)

    run_import("json", backup, "--no-train")

    rita = django_user_model.objects.get(username="rita")
    assert rita.pk != old_id
    assert moderation.blocks_for(Comment.objects.get(pk=signed.pk))
    with pytest.raises(CommentRefused):
        post(Article.objects.get(), "Back again", user=rita)
    # The operator, who now has the reader's old id, is not blocked.
    post(Article.objects.get(), "Hello", user=django_user_model.objects.get(username="operator"))
    # And the reader cannot report the same comment twice.
    assert Report.objects.filter(reporter_key=_reporter_key(rita.pk)).count() == 1


def _reporter_key(pk: int) -> str:
    from broadsheet.moderation.identity import account_hashes

    return account_hashes(pk)["reporter-user"]


def test_a_backup_made_under_another_secret_key_is_refused_while_it_holds_blocks(
    django_user_model, tmp_path
):
    """Blocks are keyed hashes: under another SECRET_KEY they would match nobody."""
    _staffed_site(django_user_model)
    backup = tmp_path / "backup.json"
    with override_settings(SECRET_KEY="the-old-site-had-this-secret-key-0123456789"):
        backup.write_text(run_export("json"))
    _empty_site(django_user_model)

    with pytest.raises(CommandError, match="BROADSHEET_SECRET_KEY") as refused:
        run_import("json", backup, "--no-train")
    assert "--without-blocks" in str(refused.value)
    assert not Article.objects.exists() and not django_user_model.objects.exists()

    output = run_import("json", backup, "--no-train", "--without-blocks")
    assert Article.objects.exists() and not Block.objects.exists()
    assert "1 block left out" in output


def test_a_backup_made_under_this_secret_key_keeps_its_blocks_working(django_user_model, tmp_path):
    _, _, signed = _staffed_site(django_user_model)
    text = run_export("json")
    assert json.loads(text)["secret_key_check"]
    backup = tmp_path / "backup.json"
    backup.write_text(text)
    _empty_site(django_user_model)
    run_import("json", backup, "--no-train")
    assert moderation.blocks_for(Comment.objects.get(pk=signed.pk))


def test_word_rules_the_operator_added_before_restoring_give_way_to_the_backups(
    django_user_model, tmp_path
):
    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK, note="from the backup")
    WordRule.objects.create(phrase="free money", list=WordRule.List.HOLD)
    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"))
    _empty_site(django_user_model)
    # Set up on the new site before the restore: one the backup has too, one it has not.
    WordRule.objects.create(phrase="crypto", list=WordRule.List.HOLD)
    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK, note="typed again")

    run_import("json", backup, "--no-train")

    rules = WordRule.objects.order_by("phrase").values_list("phrase", "list", "note")
    assert list(rules) == [
        ("casino", "block", "from the backup"),
        ("crypto", "hold", ""),
        ("free money", "hold", ""),
    ]
