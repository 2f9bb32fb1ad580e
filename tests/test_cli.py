"""The `broadsheet` console command, run as a user runs it: as a separate process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from broadsheet import notifications
from tests.mailserver import free_port

BROADSHEET = shutil.which("broadsheet") or str(Path(sys.executable).with_name("broadsheet"))


def run(
    *args: str, data_dir: Path, timeout: int = 120, **variables: str
) -> subprocess.CompletedProcess:
    """``broadsheet *args``, with ``variables`` as BROADSHEET_* environment variables."""
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(data_dir)}
    env.pop("BROADSHEET_DATABASE_URL", None)
    # Set for the rest of the process once a browser test has run (browser/fixtures.py);
    # an operator's command has no such thing, and `check --deploy` refuses it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update({f"BROADSHEET_{name}": value for name, value in variables.items()})
    return subprocess.run(
        [BROADSHEET, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_help_lists_broadsheet_and_django_commands(tmp_path):
    result = run("help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "demo", "migrate", "createsuperuser"):
        assert command in result.stdout


@pytest.mark.parametrize("asked", ["--version", "version"])
def test_the_version_is_broadsheets_with_djangos_beside_it(tmp_path, asked):
    from importlib.metadata import version

    import django

    result = run(asked, data_dir=tmp_path)
    assert result.returncode == 0
    # Django's own answer was "5.2.19" alone.
    assert result.stdout == f"broadsheet {version('broadsheet')} (Django {django.get_version()})\n"


def test_unknown_command_fails_clearly(tmp_path):
    result = run("frobnicate", data_dir=tmp_path)
    assert result.returncode != 0
    assert "Unknown command: 'frobnicate'" in result.stderr


def refused_in_one_line(result: subprocess.CompletedProcess, *, status: int = 2) -> str:
    """The one line of error a refused command printed (it wrote nothing else)."""
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PROXIES", "two"),
        ("DATABASE_URL", "mysql://news@db.internal/news"),
        ("EMAIL_URL", "ftp://x"),
        ("DEBUG", "maybe"),
        ("RATE_LIMIT", "bogus"),
    ],
)
def test_a_wrong_setting_is_refused_in_one_line_and_nothing_is_made(tmp_path, name, value):
    data_dir = tmp_path / "data"
    result = run("migrate", data_dir=data_dir, **{name: value})
    assert refused_in_one_line(result) == result.stderr.strip()
    assert result.stderr.startswith(f"broadsheet: BROADSHEET_{name}: {value!r} ")
    assert not data_dir.exists()


def test_serve_with_no_redis_answering_says_where_it_looked_and_starts_nothing(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = run("serve", "--port", str(free_port()), data_dir=tmp_path, REDIS_URL=url)
    line = refused_in_one_line(result)
    assert line.startswith(f"broadsheet: BROADSHEET_REDIS_URL: no Redis answers at {url} ")
    assert not (tmp_path / "broadsheet.sqlite3").exists()


def test_a_command_on_a_database_never_made_says_to_run_migrate(tmp_path):
    # A cron line without the site's environment reads ./data, where no site is.
    line = refused_in_one_line(run("mail", "status", data_dir=tmp_path))
    assert line == (
        f"broadsheet: BROADSHEET_DATABASE_URL: the database {tmp_path / 'broadsheet.sqlite3'} "
        "holds no site yet: run `broadsheet migrate` to make one, or point "
        "BROADSHEET_DATA_DIR or BROADSHEET_DATABASE_URL at the site's database."
    )


def test_serve_without_migrating_refuses_a_database_an_older_release_made(tmp_path):
    assert run("migrate", data_dir=tmp_path).returncode == 0
    # As a release before the reply e-mails left it.
    assert run("migrate", "notifications", "zero", data_dir=tmp_path).returncode == 0
    # Every migration of the app taken back is missing, however many later releases add.
    lacking = len(list(Path(notifications.__file__).parent.glob("migrations/0*.py")))
    expected = (
        f"broadsheet: BROADSHEET_DATABASE_URL: the database {tmp_path / 'broadsheet.sqlite3'} "
        f"was made by an older release and lacks {lacking} of this release's migrations "
        "(the first is notifications.0001_reply_mail): run `broadsheet migrate` once, "
        "then start the site."
    )
    serve = run("serve", "--no-migrate", "--port", str(free_port()), data_dir=tmp_path, timeout=60)
    assert refused_in_one_line(serve) == expected
    assert "gunicorn" not in serve.stdout + serve.stderr
    # Any command that meets a missing table says the same.
    assert refused_in_one_line(run("mail", "status", data_dir=tmp_path)) == expected


@pytest.mark.parametrize(
    "option", [("--workers", "0"), ("--threads", "0"), ("--port", "70000"), ("--workers", "two")]
)
def test_serve_refuses_numbers_it_cannot_run_with(tmp_path, option):
    result = run("serve", *option, data_dir=tmp_path)
    assert f"error: argument {option[0]}: " in refused_in_one_line(result)
    assert not (tmp_path / "broadsheet.sqlite3").exists()


def test_serve_on_a_port_another_server_listens_on_is_refused_in_one_line(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run("serve", "--port", str(port), data_dir=tmp_path / "data", timeout=60)
    # Before, gunicorn's dozen lines of retrying, after the migrations had run.
    assert refused_in_one_line(result) == (
        f"broadsheet: 127.0.0.1:{port} is in use: another server (another `broadsheet "
        "serve`?) listens there. Stop it, or give --port another port."
    )
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("host", ["http://127.0.0.1", "", "news example", "127.0.0.1:8000"])
def test_serve_refuses_an_address_it_cannot_listen_on(tmp_path, host):
    result = run("serve", "--host", host, data_dir=tmp_path)
    assert "error: argument --host: " in refused_in_one_line(result)
    assert not (tmp_path / "broadsheet.sqlite3").exists()


@pytest.mark.parametrize(
    ("host", "bind"),
    [("::1", "[::1]:8123"), ("[::1]", "[::1]:8123"), ("::", "[::]:8123"),
     ("0.0.0.0", "0.0.0.0:8123"), ("news-1.internal", "news-1.internal:8123")],
)  # fmt: skip
def test_serve_gives_gunicorn_an_ipv6_address_in_brackets(db, monkeypatch, host, bind):
    # Given bare, gunicorn read ::1's last colon as the port's ("'' is not a valid
    # port number") once the migrations had run.
    from broadsheet.management.commands import serve

    started: list[list[str]] = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(serve.os, "execve", lambda path, argv, env: started.append(argv))
    call_command("serve", "--host", host, "--port", "8123", "--workers", "1")
    argv = started[0]
    assert argv[argv.index("--bind") + 1] == bind


def test_serve_says_where_it_listens_with_one_worker_in_the_singular(capsys):
    from types import SimpleNamespace

    from broadsheet import gunicorn_config

    server = SimpleNamespace(
        LISTENERS=["http://[::1]:8123"], num_workers=1, cfg=SimpleNamespace(loglevel="info")
    )
    gunicorn_config.when_ready(server)
    assert capsys.readouterr().out == "Broadsheet at http://[::1]:8123/ (1 worker)\n"


@pytest.mark.parametrize("base_url", ["notaurl", "news.example.org", "ftp://news.example.org"])
def test_export_refuses_a_base_url_that_is_not_a_sites_address(tmp_path, base_url):
    out = tmp_path / "site.xml"
    result = run("export", "wxr", "--base-url", base_url, "-o", str(out), data_dir=tmp_path)
    assert "error: argument --base-url: " in refused_in_one_line(result)
    assert not out.exists()


def test_secret_key_is_generated_once_and_kept(tmp_path):
    # `check --deploy` reads the key (it checks its length); plain `check` signs
    # nothing, and makes no key now.
    assert run("check", "--deploy", data_dir=tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 40
    assert run("check", "--deploy", data_dir=tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


@pytest.mark.parametrize(
    "command",
    [
        ["serve", "--port", "abc"],
        ["migrate", "--no-such-option"],
        ["demo", "--url", "127.0.0.1:8123"],
        ["demo", "--dry-run"],
        ["export", "json", "-o", "/nonexistent/backup.json"],
        ["export", "json"],
        ["import", "wxr", "/nonexistent/export.xml"],
        ["createsuperuser", "--noinput"],
        ["mail", "status"],
        ["moderation", "forget", "nothere.csv"],
    ],
)
def test_a_refused_command_leaves_no_data_dir_behind(tmp_path, command):
    """A mistyped BROADSHEET_DATA_DIR (here a folder not there), with a wrong argument
    or a command that needs a site: refused, and nothing made. Before, the folder, a
    generated secret_key and an empty SQLite database stayed behind (the last taken
    for a site by the next command)."""
    data_dir = tmp_path / "srv" / "brodsheet"
    result = run(*command, data_dir=data_dir)
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "srv").exists()


def test_a_refused_command_keeps_the_site_it_found(tmp_path):
    data_dir = tmp_path / "data"
    assert run("check", "--deploy", data_dir=data_dir).returncode == 0  # the key made
    assert run("export", "json", data_dir=data_dir).returncode == 2  # no site yet
    assert sorted(path.name for path in data_dir.iterdir()) == ["secret_key"]
    assert run("migrate", "-v", "0", data_dir=data_dir).returncode == 0
    assert run("import", "wxr", "/nonexistent/export.xml", data_dir=data_dir).returncode == 1
    assert sorted(path.name for path in data_dir.iterdir())[:2] == [
        "broadsheet.sqlite3",
        "secret_key",
    ]


def test_serve_runs_gunicorn_workers_and_serves_pages_and_static_files(tmp_path):
    port = free_port()
    # Where gunicorn would put its control socket, shared by every server of the user.
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(tmp_path / "data"), "HOME": str(home)}
    env["XDG_RUNTIME_DIR"] = str(home)
    env.pop("BROADSHEET_DATABASE_URL", None)
    proc = subprocess.Popen(
        [BROADSHEET, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout or ()), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while not any(line.startswith("Broadsheet at ") for line in output):
            assert time.monotonic() < deadline, f"no address within 90 s: {output}"
            time.sleep(0.1)
        # Said once gunicorn listens, not while migrations run and the app loads.
        assert f"Broadsheet at http://127.0.0.1:{port}/ (2 workers)\n" in output
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    body = r.read().decode()
            except OSError:
                time.sleep(0.3)
        assert body is not None, "server did not answer within 60 s"
        assert "<!DOCTYPE html>" in body
        css = body.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css != "/static/broadsheet/site.css", "static files should be hashed for caching"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{css}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=5) as r:
            assert r.status == 200
            assert "max-age=315360000" in r.headers["Cache-Control"]
            assert r.headers.get("Content-Encoding") == "gzip"
        for path in ("/", "/api/v1/openapi.json", css):
            head = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="HEAD")
            with urllib.request.urlopen(head, timeout=5) as r:
                assert r.status == 200 and int(r.headers["Content-Length"]) > 0
        # The arbiter forks the workers one after another (a fraction of a second
        # apart): the first may answer before the second exists.
        workers: list[str] = []
        deadline = time.monotonic() + 15
        while len(workers) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = subprocess.run(
                ["pgrep", "-f", f"gunicorn.*{port}"], capture_output=True, text=True
            ).stdout.split()
        assert len(workers) >= 3  # the arbiter and two workers
        # Another site's server on the host would take over a shared control socket.
        assert not list(home.rglob("gunicorn.ctl"))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        reader.join(timeout=5)
    # A body sent for HEAD is dropped by gunicorn, with a warning in the log each time.
    assert not [line for line in output if "no-body response" in line]


def _loads_scikit_learn(code: str, data_dir: Path) -> bool:
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(data_dir)}
    env.pop("BROADSHEET_DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings"
    program = f"{code}\nimport sys; print('sklearn' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", program],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return result.stdout.strip().endswith("True")


def test_commands_leave_scikit_learn_until_needed_and_the_web_server_loads_it(tmp_path):
    # It takes about a second to import: every command would pay it at start, and
    # every gunicorn worker on its first comment if the server did not load it first.
    assert not _loads_scikit_learn("import django; django.setup()", tmp_path)
    assert _loads_scikit_learn("import broadsheet.wsgi", tmp_path)


@pytest.mark.django_db
def test_migrate_creates_the_cache_table_comments_need(settings):
    # Posting a comment uses the cache (duplicate check, rate limits): a site that only
    # ran `migrate` and is served by another server must have the table too.
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "broadsheet_cache",
        }
    }

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS broadsheet_cache")
    call_command("migrate", verbosity=0)
    assert "broadsheet_cache" in connection.introspection.table_names()


def test_commands_and_pages_do_not_load_scikit_learn_until_the_filter_needs_it(tmp_path):
    # It costs a second and about 60 MB: every command and worker would pay it.
    code = (
        "import sys, django; django.setup(); import broadsheet.urls; "
        "from django.urls import resolve; resolve('/moderation/filter/'); "
        "print('sklearn' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.settings"}
    env["BROADSHEET_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def files_limited(size: int):
    """For ``preexec_fn``: the command's files may grow to ``size`` bytes and no further,
    as on a disk that fills up (a write past it fails with ``EFBIG``)."""

    def limit() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))

    return limit


def test_a_database_the_disk_cannot_grow_is_said_in_one_line(tmp_path):
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(tmp_path)}
    env.pop("BROADSHEET_DATABASE_URL", None)
    result = subprocess.run(
        [BROADSHEET, "migrate"], env=env, capture_output=True, text=True, timeout=120,
        preexec_fn=files_limited(100_000),
    )  # fmt: skip
    line = refused_in_one_line(result)
    # Before, it said the database "was made by an older release".
    assert line.startswith(
        f"broadsheet: BROADSHEET_DATABASE_URL: the database {tmp_path / 'broadsheet.sqlite3'} "
        "takes no writes ("
    ), line


def test_serve_that_cannot_write_its_static_files_says_so_in_one_line(tmp_path):
    data_dir = tmp_path / "data"
    assert run("migrate", data_dir=data_dir).returncode == 0
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(data_dir)}
    env.pop("BROADSHEET_DATABASE_URL", None)
    # Room for SQLite's shared-memory file (32 KiB), not for the admin's larger scripts.
    # Not migrating: what `migrate` writes after its migrations (the groups' permissions)
    # would reach the database past that size, and be refused first.
    result = subprocess.run(
        [BROADSHEET, "serve", "--no-migrate", "--port", str(free_port())], env=env,
        capture_output=True,
        text=True, timeout=120, preexec_fn=files_limited(40_000),
    )  # fmt: skip
    # Before, a traceback.
    assert refused_in_one_line(result) == "broadsheet: cannot write a file (File too large)."


def test_a_command_runs_from_the_package_folder(tmp_path):
    # The translation steps run there (docs/operations.md); a folder of the package named
    # like a module of Python's (sqlite3) took its place and no command could start.
    import broadsheet

    env = {**os.environ, "BROADSHEET_DATA_DIR": str(tmp_path)}
    env.pop("BROADSHEET_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet.cli", "check"],
        cwd=Path(broadsheet.__file__).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
