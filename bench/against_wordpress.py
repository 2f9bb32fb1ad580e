"""Broadsheet against WordPress, on the same article and comments in the same run.

    python bench/against_wordpress.py [--wordpress /usr/share/wordpress] [--comments 50]
        [--seconds 10] [--connections 8] [--post-connections 4] [--workers 4] [--rounds 2]
        [--mysql 127.0.0.1:3306] [--mysql-user root] [--first-port N]

WordPress is not a dependency of Broadsheet: the script uses Debian's package, served
as WordPress sites are served, by nginx and PHP-FPM, with a MariaDB (or MySQL) server
already running:

    apt-get install wordpress php-fpm php-mysql php-xml php-mbstring mariadb-server nginx wrk
    python bench/against_wordpress.py

It needs to write Debian's per-site WordPress configuration (``/etc/wordpress/
config-<name>.php``, which Debian's ``wp-config.php`` reads), so it runs as root or as
a user who may write there; it removes the file and the database it made when it
ends. Without WordPress, PHP-FPM, nginx, wrk or a database server it says what is
missing and stops (exit status 0: nothing to compare).

Setup, the same on both sides: a fresh WordPress (a new database; Debian's theme; no
plugin, so no page cache: every page is built by PHP from the database, with PHP's
opcode cache on as Debian ships it) behind nginx with ``--workers`` x 4 PHP-FPM
processes, and a fresh Broadsheet (SQLite, its default) under ``broadsheet serve``
with ``--workers`` workers of 4 threads. Each gets one article with the same
``--comments`` comments, posted as readers post them (WordPress's comment form,
``wp-comments-post.php``; Broadsheet's JSON API), and a second article to take the
comments posted under load. Flood limits are off on both (Broadsheet:
``BROADSHEET_RATE_LIMIT=off``; WordPress: its 15-second flood check, by a
must-use plugin of one line) and WordPress publishes a first-time commenter's
comment at once (``comment_previously_approved`` off), as Broadsheet does a comment
its checks pass, and e-mails no one about it (``comments_notify`` and
``moderation_notify`` off; Broadsheet, which mails moderators about a comment it
holds and readers who follow a thread, sends none for these); both show every comment
on the article's first page. Then, for each round, the two taking turns:

* **reading**: the article page with its comments (HTML, as a reader gets it), loaded
  by wrk for ``--seconds`` with ``--connections`` connections, then with one (what a
  page costs when nothing else runs): requests per second and median latency;
* **posting**: wrk posts a new comment, a different text each time, to the second
  article for ``--seconds`` with ``--post-connections`` connections (WordPress:
  ``POST /wp-comments-post.php``, answered with a redirect; Broadsheet: ``POST
  /api/v1/articles/SLUG/comments``, answered 201): comments stored per second and
  median latency; any other answer is counted and reported.

The script prints every figure and the ratios (Broadsheet / WordPress). The machine is
shared and noisy: read the ratios of one run. Everything binds to 127.0.0.1 and stops
by itself.
"""

from __future__ import annotations

import argparse
import getpass
import glob
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from against_isso import WORDS, text
from against_isso import start_broadsheet as serve_broadsheet
from pages import free_port, wait_for

SLUG = "wordpress-bench"
CONFIG_DIR = Path("/etc/wordpress")

SETUP = f"""
from django.utils import timezone
from broadsheet.newsroom.models import Article, Author
from broadsheet.newsroom import actions
author = Author.objects.create(name="Bench Writer", slug="bench-writer")
for slug in ("{SLUG}", "{SLUG}-posts"):
    article = Article(title="Bench " + slug, slug=slug, body="A story to discuss.",
                      author=author, status=Article.Status.PUBLISHED, published_at=timezone.now())
    actions.save_article(article)
"""

# Run by PHP's command line with WORDPRESS_CONFIG naming the site's configuration.
WP_INSTALL = f"""
$_SERVER['HTTP_HOST'] = '127.0.0.1';
define('WP_INSTALLING', true);
require getenv('WP_DIR') . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Bench', 'bench', 'bench@example.org', false, '', wp_generate_password());
update_option('permalink_structure', '/%postname%/');
update_option('comment_previously_approved', 0);
update_option('comments_notify', 0);
update_option('moderation_notify', 0);
update_option('page_comments', 1);
update_option('comments_per_page', getenv('PER_PAGE'));
$ids = [];
foreach (['{SLUG}', '{SLUG}-posts'] as $slug) {{
    $ids[] = wp_insert_post(['post_title' => 'Bench ' . $slug, 'post_name' => $slug,
        'post_content' => 'A story to discuss.', 'post_status' => 'publish', 'post_author' => 1]);
}}
flush_rewrite_rules();
echo json_encode($ids);
"""

WP_DATABASE = """
[$host, $port] = explode(':', getenv('DB') . ':3306');
$db = new mysqli($host, getenv('DB_USER'), getenv('DB_PASSWORD'), '', (int) $port);
$db->query(getenv('SQL')) or exit($db->error);
"""

# WordPress turns away a second comment from one address within 15 seconds.
MU_PLUGIN = "<?php add_filter('wp_is_comment_flood', '__return_false', 99);\n"

# wrk posts a different comment each time: the thread's number and a count make the text.
POST_LUA = """
local words = {%(words)s}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  n = 0
end
local function say()
  n = n + 1
  local picked = {}
  for i = 0, 11 do
    picked[#picked + 1] = words[((n * 7 + tid * 5 + i * 3) %% #words) + 1]
  end
  local name = string.format("Reader %(round)s-%%d-%%d", tid, n)
  return name, string.format(
    "%%s here. I read the piece twice and I think the %%s question is the one nobody "
    .. "asked (number %%d). The rest seems fair to me.", name, table.concat(picked, " "), n)
end
request = function()
  local name, body = say()
  %(request)s
end
"""

WP_REQUEST = """return wrk.format("POST", "/wp-comments-post.php",
    {["Content-Type"] = "application/x-www-form-urlencoded"},
    "comment_post_ID=%(post)s&comment_parent=0&url=&email=" .. name:gsub(" ", "")
    .. "%%40example.org&author=" .. name:gsub(" ", "+") .. "&comment=" .. body:gsub(" ", "+"))"""

BS_REQUEST = """return wrk.format("POST", "/api/v1/articles/%(slug)s/comments",
    {["Content-Type"] = "application/json"},
    '{"author_name": "' .. name .. '", "body": "' .. body .. '"}')"""


def missing(wordpress: Path) -> str | None:
    """What this machine lacks to run WordPress as Debian serves it, or None."""
    if not (wordpress / "wp-load.php").exists():
        return f"WordPress is not installed at {wordpress} (apt-get install wordpress)"
    if "/etc/wordpress/config-" not in (wordpress / "wp-config.php").read_text(errors="replace"):
        return f"{wordpress}/wp-config.php is not Debian's (it must read /etc/wordpress)"
    if not fpm_binary():
        return "PHP-FPM is not installed (apt-get install php-fpm php-mysql)"
    for command, package in (("php", "php-cli"), ("nginx", "nginx"), ("wrk", "wrk")):
        if not shutil.which(command) and not Path(f"/usr/sbin/{command}").exists():
            return f"{command} is not installed (apt-get install {package})"
    if not os.access(CONFIG_DIR, os.W_OK):
        return f"{CONFIG_DIR} is not writable by {getpass.getuser()}: run as root"
    return None


def fpm_binary() -> str | None:
    found = shutil.which("php-fpm") or sorted(glob.glob("/usr/sbin/php-fpm*"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def php(code: str, **env: str) -> str:
    result = subprocess.run(
        ["php", "-r", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    if result.returncode or "Fatal error" in result.stdout:
        raise SystemExit(f"PHP failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result.stdout


class Site:
    """One system under test: the article page and how a reader posts to it."""

    def __init__(self, name: str, port: int, page: str) -> None:
        self.name, self.port, self.page = name, port, page
        self.processes: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def post(self, n: int) -> int:
        raise NotImplementedError

    def request_lua(self) -> str:
        raise NotImplementedError

    def _send(self, path: str, body: str, content_type: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("POST", path, body, headers={"Content-Type": content_type})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


class WordPress(Site):
    post_ids: tuple[int, int]

    def post(self, n: int) -> int:
        form = {
            "comment_post_ID": self.post_ids[0], "comment_parent": 0, "author": f"Reader {n}",
            "email": f"reader{n}@example.org", "url": "", "comment": text(n),
        }  # fmt: skip
        status = self._send(
            "/wp-comments-post.php",
            urllib.parse.urlencode(form),
            "application/x-www-form-urlencoded",
        )
        return 201 if status == 302 else status  # WordPress answers a stored comment so

    def request_lua(self) -> str:
        return WP_REQUEST % {"post": self.post_ids[1]}


class Broadsheet(Site):
    def post(self, n: int) -> int:
        payload = {"author_name": f"Reader {n}", "body": text(n)}
        return self._send(
            f"/api/v1/articles/{SLUG}/comments", json.dumps(payload), "application/json"
        )

    def request_lua(self) -> str:
        return BS_REQUEST % {"slug": f"{SLUG}-posts"}


def start_wordpress(
    work: Path, args: argparse.Namespace, port: int, fpm_port: int, started: list[Site]
) -> WordPress:
    site = WordPress("WordPress", port, f"/{SLUG}/")
    started.append(site)  # to be stopped and dropped, however far it gets
    name = f"broadsheet-bench-{port}"
    content = work / "wp-content"
    (content / "mu-plugins").mkdir(parents=True)
    (content / "mu-plugins" / "no-flood.php").write_text(MU_PLUGIN)
    (content / "themes").mkdir()
    for theme in (args.wordpress / "wp-content" / "themes").iterdir():
        (content / "themes" / theme.name).symlink_to(theme)
    database = f"broadsheet_bench_{port}"
    (CONFIG_DIR / f"config-{name}.php").write_text(
        "<?php\n"
        f"define('DB_NAME', '{database}');\n"
        f"define('DB_USER', '{args.mysql_user}');\n"
        f"define('DB_PASSWORD', '{args.mysql_password}');\n"
        f"define('DB_HOST', '{args.mysql}');\n"
        "define('DB_CHARSET', 'utf8mb4');\n"
        f"define('WP_CONTENT_DIR', '{content}');\n"
        f"define('WP_HOME', 'http://127.0.0.1:{port}');\n"
        f"define('WP_SITEURL', 'http://127.0.0.1:{port}');\n"
        "define('DISABLE_WP_CRON', true);\n"
        "define('AUTOMATIC_UPDATER_DISABLED', true);\n"
        "define('WP_HTTP_BLOCK_EXTERNAL', true);\n"
    )
    db_env = {"DB": args.mysql, "DB_USER": args.mysql_user, "DB_PASSWORD": args.mysql_password}
    php(WP_DATABASE, **db_env, SQL=f"CREATE DATABASE {database} CHARACTER SET utf8mb4")
    ids = php(
        WP_INSTALL,
        WORDPRESS_CONFIG=name, WP_DIR=str(args.wordpress), PER_PAGE=str(args.comments),
    )  # fmt: skip
    site.post_ids = tuple(json.loads(ids[ids.index("[") :]))  # type: ignore[assignment]
    user = "user = www-data\ngroup = www-data\n" if os.geteuid() == 0 else ""
    (work / "php-fpm.conf").write_text(
        f"[global]\nerror_log = {work}/php-fpm.log\ndaemonize = no\n"
        f"[bench]\n{user}listen = 127.0.0.1:{fpm_port}\n"
        f"pm = static\npm.max_children = {args.workers * 4}\n"
    )
    (work / "nginx.conf").write_text(
        f"daemon off; worker_processes {args.workers}; pid {work}/nginx.pid;\n"
        f"error_log {work}/nginx-error.log;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; include /etc/nginx/mime.types;\n"
        + "".join(
            f"{kind}_temp_path {work}/{kind}; " for kind in ("client_body", "proxy", "fastcgi")
        )
        + f"uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;\n"
        f"server {{ listen 127.0.0.1:{port}; root {args.wordpress}; index index.php;\n"
        f"  location /wp-content/ {{ alias {content}/; }}\n"
        "  location / { try_files $uri $uri/ /index.php?$args; }\n"
        "  location ~ \\.php$ { include /etc/nginx/fastcgi_params;\n"
        "    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n"
        # Debian's fastcgi_params pass the host without its port, which WordPress
        # would answer with a redirect to its own address, with the port.
        "    fastcgi_param HTTP_HOST $host:$server_port;\n"
        f"    fastcgi_param WORDPRESS_CONFIG {name}; fastcgi_pass 127.0.0.1:{fpm_port}; }}\n"
        "}}\n"
    )
    work.chmod(0o755)  # PHP-FPM's and nginx's workers drop root and read the themes
    for command in (
        [fpm_binary(), "-y", f"{work}/php-fpm.conf", "-F"],
        ["nginx", "-c", f"{work}/nginx.conf", "-e", f"{work}/nginx-error.log"],
    ):
        log = (work / f"{Path(str(command[0])).name}.out").open("w")
        site.processes.append(
            subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # type: ignore[arg-type]
        )
    return site


def drop_wordpress(args: argparse.Namespace, port: int) -> None:
    (CONFIG_DIR / f"config-broadsheet-bench-{port}.php").unlink(missing_ok=True)
    db_env = {"DB": args.mysql, "DB_USER": args.mysql_user, "DB_PASSWORD": args.mysql_password}
    php(WP_DATABASE, **db_env, SQL=f"DROP DATABASE IF EXISTS broadsheet_bench_{port}")


def start_broadsheet(work: Path, args: argparse.Namespace, port: int) -> Broadsheet:
    served = serve_broadsheet(work, args.workers, setup=SETUP, port=port)
    site = Broadsheet("Broadsheet", port, f"/article/{SLUG}/")
    site.processes.append(served.process)
    return site


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    """Requests per second that got a 2xx or 3xx answer, median latency, other answers."""
    # WordPress takes seconds to answer a page under load: wrk's 2 s would count it lost.
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
    ]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 90
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if done is None:
        raise SystemExit(f"wrk said:\n{out}")
    took = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = int(bad.group(1)) if bad else 0
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)] if p50 else 0
    return {
        "rps": (int(done.group(1)) - failed) / took,
        "p50": float(p50.group(1)) * scale if p50 else 0.0,
        "failed": failed,
    }


def seed(site: Site, count: int) -> str:
    """Post the article's comments one by one, as readers do; what its page then holds."""
    for n in range(count):
        status = site.post(n)
        if status != 201:
            raise SystemExit(f"{site.name}: posting comment {n} answered {status}")
    page = wait_for(site.url + site.page).decode()
    shown = len(set(re.findall(r"Reader (\d+) here\.", page)))
    return f"{len(page):,} bytes HTML, {shown} comments"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordpress", type=Path, default=Path("/usr/share/wordpress"))
    parser.add_argument("--comments", type=int, default=50, help="Comments on the article.")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--post-connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, choices=range(1, 5))
    parser.add_argument("--mysql", default="127.0.0.1:3306", help="MariaDB or MySQL server.")
    parser.add_argument("--mysql-user", default="root")
    parser.add_argument("--mysql-password", default="")
    parser.add_argument(
        "--first-port", type=int, help="Use this port and the next three (default: free ones)."
    )
    args = parser.parse_args()
    reason = missing(args.wordpress)
    if reason:
        print(f"skipped: {reason}")
        return
    ports = (
        [args.first_port + i for i in range(4)]
        if args.first_port
        else [free_port() for _ in "1234"]
    )
    work = Path(tempfile.mkdtemp(prefix="broadsheet-wordpress-"))
    sites: list[Site] = []
    try:
        sites.append(start_broadsheet(work, args, ports[0]))
        start_wordpress(work, args, ports[1], ports[2], sites)
        pages = {}
        for site in sites:
            wait_for(site.url + site.page, seconds=120)
            pages[site.name] = seed(site, args.comments)
        version = re.search(
            r"wp_version = '([^']+)'", (args.wordpress / "wp-includes" / "version.php").read_text()
        )
        print(
            f"WordPress {version.group(1) if version else '?'} (nginx, {args.workers * 4} PHP-FPM "
            f"processes, MariaDB, no page cache) and Broadsheet ({args.workers} workers x 4 "
            f"threads, SQLite); reads {args.seconds} s x {args.connections} connections, posts "
            f"{args.seconds} s x {args.post_connections} connections, wrk"
        )
        for site in sites:
            print(f"  {site.name:10} {site.url}{site.page}: {pages[site.name]}")
        ratios: dict[str, list[float]] = {}
        for round_ in range(1, args.rounds + 1):
            order = sites if round_ % 2 else sites[::-1]
            figures: dict[str, dict[str, dict]] = {
                "the article page": {}, "one reader alone": {}, "posting a comment": {},
            }  # fmt: skip
            for site in order:
                for kind, connections in (
                    ("the article page", args.connections),
                    ("one reader alone", 1),
                ):
                    figures[kind][site.name] = wrk(site.url + site.page, args.seconds, connections)
            for site in order:
                script = work / f"post-{site.name}-{round_}.lua"
                script.write_text(POST_LUA % {
                    "words": ", ".join(f'"{w}"' for w in WORDS), "round": round_,
                    "request": site.request_lua(),
                })  # fmt: skip
                figures["posting a comment"][site.name] = wrk(
                    site.url + "/", args.seconds, args.post_connections, script
                )
            for kind, by_site in figures.items():
                for site in sites:
                    f = by_site[site.name]
                    unit = "posts/s" if kind == "posting a comment" else "req/s"
                    print(
                        f"round {round_} {kind:17} {site.name:10} {f['rps']:7.0f} {unit:7}"
                        f"  p50 {f['p50']:7.2f} ms"
                        + (f"  ({f['failed']} refused)" if f["failed"] else "")
                    )
                b, w = (by_site[s.name]["rps"] for s in sites)
                ratios.setdefault(kind, []).append(b / w if w else float("inf"))
        print("Broadsheet / WordPress, throughput (median over rounds):")
        for kind, values in ratios.items():
            print(f"  {kind:17} {statistics.median(values):6.2f}  (rounds: "
                  + ", ".join(f"{v:.2f}" for v in values) + ")")  # fmt: skip
    except BaseException:
        for log in sorted(work.glob("*.log")) + sorted(work.glob("*.out")):
            print(f"--- {log.name}\n" + log.read_text()[-2000:], file=sys.stderr)
        raise
    finally:
        for site in sites:
            site.stop()
        if any(isinstance(site, WordPress) for site in sites):
            drop_wordpress(args, ports[1])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
