"""Gunicorn's settings for ``broadsheet serve`` (``-c python:broadsheet.gunicorn_config``).

Only what the command line cannot say: a hook, and settings that older gunicorns
do not know (a config module's unknown names are skipped, where an unknown
option would stop gunicorn).
"""

from __future__ import annotations

from typing import Any

# Gunicorn 25.1 and later open a control socket, by default the same one
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl) for every server
# of the user: a second site started on the host would take it over from the
# first. Broadsheet does not use it; the master answers signals (TTIN, TTOU, HUP).
control_socket_disable = True


def when_ready(server: Any) -> None:
    # Called once the listening socket is bound, after the app is loaded (--preload),
    # which is when the site can be reached: not before, while the app still loads.
    if server.cfg.loglevel.lower() not in ("debug", "info"):
        return  # `serve -v 0`
    addresses = ", ".join(f"{listener}/" for listener in server.LISTENERS)
    workers = server.num_workers
    print(f"Broadsheet at {addresses} ({workers} worker{'' if workers == 1 else 's'})", flush=True)
