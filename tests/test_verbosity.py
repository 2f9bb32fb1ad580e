"""``-v 0`` (``--verbosity 0``) silences what Broadsheet's own commands say of work done
well, as Django's commands do: a cron line then mails the operator only what went wrong.
A command whose output is its answer still gives it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from tests.conftest import make_article, post
from tests.moderation.test_command import labelled  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "interchange" / "samples"


def said(*args: str, verbosity: int) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, verbosity=verbosity, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def site_with_comments(db):
    post(make_article(), "A comment.")


@pytest.mark.parametrize(
    "command",
    [
        ["mail", "send"],
        ["mail", "send", "--dry-run"],
        ["search", "rebuild"],
        ["search", "check"],
        ["moderation", "rebuild"],
    ],
    ids=" ".join,
)
def test_a_command_says_nothing_at_verbosity_0_and_its_summary_at_1(command, site_with_comments):
    # Before, `mail send -v 0` printed its summary all the same (and so did the others).
    assert said(*command, verbosity=0) == ""
    assert said(*command, verbosity=1) != ""


def test_training_and_forgetting_say_nothing_at_verbosity_0(labelled):  # noqa: F811
    assert said("moderation", "train", str(labelled), verbosity=0) == ""
    assert said("moderation", "forget", labelled.name, verbosity=0) == ""
    assert "examples taught" not in said("moderation", "status", verbosity=0)


def test_an_export_to_a_file_says_nothing_at_verbosity_0_and_to_stdout_still_writes(tmp_path):
    backup = tmp_path / "backup.json"
    assert said("export", "json", "-o", str(backup), verbosity=0) == ""
    assert backup.stat().st_size > 0
    out = StringIO()
    call_command("export", "json", verbosity=0, stdout=out, stderr=StringIO())
    assert out.getvalue().startswith('{"format":"broadsheet')


def test_an_answer_is_given_at_verbosity_0(site_with_comments):
    assert "Queued" in said("mail", "status", verbosity=0)
    assert "learned" in said("moderation", "status", verbosity=0)


@pytest.mark.parametrize(
    "command",
    [
        ["import", "wxr", str(SAMPLES / "wordpress-1.2.xml"), "--no-train"],
        ["import", "disqus", str(SAMPLES / "disqus.xml"), "--create-missing", "--dry-run"],
    ],
    ids=" ".join,
)
def test_an_import_says_only_what_it_left_out_or_changed_at_verbosity_0(command):
    quiet, loud = said(*command, verbosity=0), said(*command, verbosity=1)
    # These files hold a reply to a comment they lack, among others.
    assert "which is not in the file: imported as a top-level comment" in quiet
    assert set(quiet.splitlines()) < set(loud.splitlines())
    assert "Checking" not in quiet and "Done." not in quiet


def test_serve_at_verbosity_0_does_not_announce_itself(capsys):
    from broadsheet import gunicorn_config

    def server(level: str) -> SimpleNamespace:
        return SimpleNamespace(
            cfg=SimpleNamespace(loglevel=level), LISTENERS=["http://127.0.0.1:8000"], num_workers=2
        )

    gunicorn_config.when_ready(server("warning"))  # `serve -v 0` sets it
    assert capsys.readouterr().out == ""
    gunicorn_config.when_ready(server("info"))
    assert capsys.readouterr().out == "Broadsheet at http://127.0.0.1:8000/ (2 workers)\n"


def test_the_demo_says_why_it_is_not_loaded_at_verbosity_0():
    make_article()
    assert said("demo", verbosity=0).startswith("Not loading the demo: this site already has 1")
