"""Broadsheet's comments against Isso's, on the same machine in the same run.

    python bench/against_isso.py --isso-bin DIR [--comments 400] [--threads 4] [--seconds 5]
        [--connections 16] [--workers 4] [--rounds 2]

Isso (https://isso-comments.de/, a self-hosted comment server in Python on SQLite) is
not a dependency of Broadsheet: install it apart, with the same WSGI server, and name
the folder of its commands:

    python3 -m venv /tmp/isso && /tmp/isso/bin/pip install isso gunicorn
    python bench/against_isso.py --isso-bin /tmp/isso/bin

Each system gets a fresh SQLite database in a temporary folder and is served by
gunicorn with the same workers and threads (``--workers``, 4 threads each: what
``broadsheet serve`` runs), rate limits and moderation queues off (Broadsheet:
``BROADSHEET_RATE_LIMIT=off``, its checks and pipeline otherwise as shipped; Isso:
``[guard]`` and ``[moderation]`` off). Then, for each round:

* **writes**: ``--threads`` clients post ``--comments`` comments, each a different
  text, to one discussion, through each system's own JSON API (Broadsheet
  ``POST /api/v1/articles/SLUG/comments``, Isso ``POST /new?uri=…``); posts per
  second and the median and 95th-percentile latency;
* **reads** of the same discussion (the first round's), each loaded for
  ``--seconds`` with ``--connections`` connections (wrk when installed, else a
  Python keep-alive client): Broadsheet's JSON page of 50 comments next to Isso's
  JSON of 50 comments (``limit=50``, the same comments' worth), and each system's
  answer to a reader: Broadsheet's whole article page (HTML, its first 50 comments,
  readable with no script) and Isso's whole thread as its embed asks for it by
  default (every comment, JSON for a script to draw).

The systems take turns (Broadsheet first in odd rounds, Isso in even ones), and
the script prints every figure and the ratios; the machine is shared and noisy, so
read the ratios of one run. Everything binds to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pages import free_port, load_python, load_wrk, wait_for

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SLUG = "isso-bench"
PAGE = 50

SETUP = f"""
from django.utils import timezone
from broadsheet.newsroom.models import Article, Author
from broadsheet.newsroom import actions
author = Author.objects.create(name="Bench Writer", slug="bench-writer")
for slug in ("{SLUG}", "{SLUG}-2", "{SLUG}-3", "{SLUG}-4"):
    article = Article(title="Bench " + slug, slug=slug, body="A story to discuss.",
                      author=author, status=Article.Status.PUBLISHED, published_at=timezone.now())
    actions.save_article(article)
"""

WORDS = [
    "harbour",
    "ferry",
    "council",
    "budget",
    "school",
    "river",
    "bridge",
    "market",
    "winter",
    "teachers",
    "election",
    "station",
    "library",
    "museum",
    "hospital",
    "weather",
    "football",
    "concert",
]


def text(n: int) -> str:
    """A comment of about 40 words, different for every n, with no link."""
    picked = " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(12))
    return (
        f"Reader {n} here. I read the piece twice and I think the {picked} question is "
        f"the one nobody asked (number {n}). The rest seems fair to me, though I would "
        "like to know where the figures in the third paragraph came from."
    )


class Site:
    """One system under test: how to post to a discussion, and the addresses
    (``READS``, templates of the discussion's name) where it is read."""

    READS: dict[str, str] = {}

    def __init__(self, name: str, port: int, process: subprocess.Popen, ready: str) -> None:
        self.name, self.port, self.process, self.ready = name, port, process, ready

    def post(self, discussion: str, n: int) -> int:
        raise NotImplementedError

    def reads(self, discussion: str) -> dict[str, str]:
        base = f"http://127.0.0.1:{self.port}"
        return {kind: base + path.format(discussion) for kind, path in self.READS.items()}

    def _send(self, path: str, body: dict) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(
                "POST", path, json.dumps(body), headers={"Content-Type": "application/json"}
            )
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()


class Broadsheet(Site):
    def post(self, discussion: str, n: int) -> int:
        payload = {"author_name": f"Reader {n}", "body": text(n)}
        return self._send(f"/api/v1/articles/{discussion}/comments", payload)

    READS = {
        "50 comments, JSON": "/api/v1/articles/{}/comments",
        "a reader's answer": "/article/{}/",
    }


class Isso(Site):
    def post(self, discussion: str, n: int) -> int:
        payload = {"author": f"Reader {n}", "text": text(n), "title": discussion}
        return self._send(f"/new?uri=/{discussion}/", payload)

    READS = {
        "50 comments, JSON": "/?uri=/{}/&limit=" + str(PAGE),
        "a reader's answer": "/?uri=/{}/",
    }


def post_all(site: Site, discussion: str, numbers: range, threads: int) -> dict[str, float]:
    """Post the comments ``numbers`` from ``threads`` clients at once; posts/s and latency."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def client(numbers: range) -> None:
        mine, bad = [], []
        for n in numbers:
            start = time.perf_counter()
            status = site.post(discussion, n)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 201:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    workers = [threading.Thread(target=client, args=(numbers[i::threads],)) for i in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{site.name}: {len(failures)} posts failed ({sorted(set(failures))})")
    latencies.sort()
    return {
        "posts/s": len(latencies) / seconds,
        "p50 ms": statistics.median(latencies),
        "p95 ms": latencies[int(len(latencies) * 0.95) - 1],
    }


def start_broadsheet(
    work: Path, workers: int, setup: str = SETUP, port: int | None = None
) -> Broadsheet:
    """A fresh Broadsheet on SQLite holding what ``setup`` (Python, run by its shell) made."""
    env = {
        **os.environ,
        "BROADSHEET_DATA_DIR": str(work / "broadsheet"),
        "BROADSHEET_RATE_LIMIT": "off",
    }
    env.pop("BROADSHEET_DATABASE_URL", None)
    env.pop("BROADSHEET_REDIS_URL", None)
    command = [str(BIN / "broadsheet")]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True, capture_output=True)
    subprocess.run([*command, "shell", "-c", setup], env=env, check=True, capture_output=True)
    port = port or free_port()
    log = (work / "broadsheet.log").open("w")
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    return Broadsheet("Broadsheet", port, process, f"/api/v1/articles/{SLUG}")


def start_isso(work: Path, isso_bin: Path, workers: int) -> Isso:
    port = free_port()
    config = work / "isso.cfg"
    config.write_text(
        "[general]\n"
        f"dbpath = {work / 'isso.db'}\n"
        f"host = http://127.0.0.1:{port}/\n"
        "[server]\n"
        f"listen = http://127.0.0.1:{port}/\n"
        "[moderation]\nenabled = false\n"
        "[guard]\nenabled = false\n"
    )
    log = (work / "isso.log").open("w")
    process = subprocess.Popen(
        [str(isso_bin / "gunicorn"), "isso.run", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", "4", "--worker-class", "gthread",
         "--preload", "--no-control-socket"],
        env={**os.environ, "ISSO_SETTINGS": str(config)},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    return Isso("Isso", port, process, "/info")


def count_comments(url: str) -> str:
    body = wait_for(url)
    if "/article/" in url:  # Broadsheet's article page
        return f"{len(body):,} bytes HTML"
    data = json.loads(body)
    n = len(data["results"]) if "results" in data else len(data["replies"])
    return f"{len(body):,} bytes, {n} comments"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--isso-bin", type=Path, required=True, help="Folder of Isso's commands.")
    parser.add_argument("--comments", type=int, default=400, help="Comments posted per round.")
    parser.add_argument("--threads", type=int, default=4, help="Clients posting at once.")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, choices=range(1, 5))
    args = parser.parse_args()
    for command in ("gunicorn", "isso"):
        if not (args.isso_bin / command).exists():
            raise SystemExit(f"{args.isso_bin / command} not found: install Isso (see --help)")
    load: Callable[[str, int, int], tuple[float, float]] = (
        load_wrk if shutil.which("wrk") else load_python
    )
    work = Path(tempfile.mkdtemp(prefix="broadsheet-isso-"))
    sites: list[Site] = []
    try:
        sites.append(start_broadsheet(work, args.workers))
        sites.append(start_isso(work, args.isso_bin, args.workers))
        for site in sites:
            wait_for(f"http://127.0.0.1:{site.port}{site.ready}", seconds=120)
        print(
            f"{args.workers} gunicorn workers x 4 threads each; {args.comments} comments per "
            f"round from {args.threads} clients; reads {args.seconds} s x {args.connections} "
            f"connections ({load.__name__}); SQLite for both"
        )
        ratios: dict[str, list[float]] = {}
        for round_ in range(1, args.rounds + 1):
            order = sites if round_ % 2 else sites[::-1]
            discussion = SLUG if round_ == 1 else f"{SLUG}-{round_}"
            # Every text is new to the site: a text posted again is held as a repeat.
            numbers = range((round_ - 1) * args.comments, round_ * args.comments)
            writes = {
                site.name: post_all(site, discussion, numbers, args.threads) for site in order
            }
            for site in sites:
                w = writes[site.name]
                print(
                    f"round {round_} writes  {site.name:10} {w['posts/s']:7.0f} posts/s"
                    f"  p50 {w['p50 ms']:7.1f} ms  p95 {w['p95 ms']:7.1f} ms"
                )
            b, i = (writes[s.name]["posts/s"] for s in sites)
            ratios.setdefault("writes", []).append(b / i)
            for kind in ("50 comments, JSON", "a reader's answer"):
                figures = {}
                for site in order:
                    url = site.reads(SLUG)[kind]
                    size = count_comments(url)
                    figures[site.name] = (*load(url, args.seconds, args.connections), size)
                for site in sites:
                    rps, p50, size = figures[site.name]
                    print(
                        f"round {round_} {kind:18} {site.name:10} {rps:7.0f} req/s"
                        f"  p50 {p50:7.2f} ms  ({size})"
                    )
                b, i = (figures[s.name][0] for s in sites)
                ratios.setdefault(kind, []).append(b / i)
        print("Broadsheet / Isso, throughput (median over rounds):")
        for kind, values in ratios.items():
            print(f"  {kind:18} {statistics.median(values):6.2f}  (rounds: "
                  + ", ".join(f"{v:.2f}" for v in values) + ")")  # fmt: skip
    except BaseException:
        for name in ("broadsheet.log", "isso.log"):
            if (work / name).exists():
                print(f"--- {name}\n" + (work / name).read_text()[-2000:], file=sys.stderr)
        raise
    finally:
        for site in sites:
            os.killpg(site.process.pid, signal.SIGTERM)
            site.process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
