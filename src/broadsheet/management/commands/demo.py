from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from broadsheet import upgrade
from broadsheet.demo import loader
from broadsheet.discussion.exceptions import CommentRefused, RateLimited
from broadsheet.interchange.management.commands.export import site_address
from broadsheet.management.speech import SpeakingCommand
from broadsheet.media import actions as media_actions

# Where `broadsheet serve` answers by default; `--url` names another (`make run PORT=…`).
SERVER = "http://127.0.0.1:8000"


class Command(SpeakingCommand):
    help = (
        "Create the database if needed and load a demo site: articles in every state, "
        "threaded multilingual discussions, an article with 500 comments, a moderation queue."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo content first, then load it again.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even though the site already has articles of its own.",
        )
        parser.add_argument(
            "--url",
            default=SERVER,
            type=site_address,
            help=f"The site's address, for the links printed at the end (default {SERVER}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Build the demo and roll it back, reporting what would be created "
            "(on a database made by `broadsheet migrate`; nothing is created).",
        )

    def handle(self, *args, reset: bool, force: bool, dry_run: bool, url: str, **options) -> None:
        self.server = url.rstrip("/")
        if dry_run and (pending := upgrade.pending_migrations()):
            # Migrations are not rolled back with the demo: a dry run would leave a
            # database made, or changed, behind.
            raise CommandError(
                f"--dry-run changes nothing, and this database lacks {len(pending)} of this "
                "release's migrations: run `broadsheet migrate` first, or `broadsheet demo` "
                "without --dry-run."
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not reset and loader.is_loaded():
            self.say("Demo site already loaded (use --reset to load it afresh).")
            self._how_to_log_in()
            return
        others = loader.other_articles()
        if others and not force and not reset:
            # Said at every verbosity: nothing was done, and this says why.
            self.stdout.write(
                f"Not loading the demo: this site already has {others} "
                f"article{'' if others == 1 else 's'} of its own. "
                "Use --force to add the demo to them."
            )
            return
        if taken := loader.taken_addresses():
            raise CommandError(
                "Not loading the demo: "
                + (
                    "an article of this site is at a demo article's address"
                    if len(taken) == 1
                    else f"{len(taken)} articles of this site are at the addresses of the demo's"
                )
                + f": {', '.join(taken)}."
            )
        try:
            with transaction.atomic():
                removed = loader.unload() if reset else 0
                loaded = loader.load()
                if dry_run:
                    transaction.set_rollback(True)
        except (CommentRefused, RateLimited) as exc:
            raise CommandError(f"The moderation policy refused a demo comment: {exc}") from exc
        if dry_run:
            self._take_back_picture(loaded)
        if removed:
            verb = "Would remove" if dry_run else "Removed"
            self.say(f"{verb} the demo's {removed} articles and their comments.")
        self._summary(loaded, dry_run=dry_run)
        if not dry_run:
            self._how_to_log_in()

    @staticmethod
    def _take_back_picture(loaded: loader.Loaded) -> None:
        """Delete the files of the picture drawn for the busiest story, which were
        written before the dry run's rollback took back its row (those another image of
        the library stores stay), and the folders made for them, left empty."""
        lead = loaded.busy_article.lead_image if loaded.busy_article else None
        if lead is None:
            return
        media_actions.remove_unused_files(lead.files, lead.file)
        root = Path(settings.MEDIA_ROOT)
        for name in lead.files:
            for folder in (root / name).parents:
                if folder == root.parent:
                    break
                with contextlib.suppress(OSError):  # not empty: kept
                    folder.rmdir()

    def _summary(self, loaded: loader.Loaded, *, dry_run: bool) -> None:
        articles, comments = loaded.articles, loaded.comments
        self.say(
            f"{'Would load' if dry_run else 'Loaded'} the demo site “{loaded.site_name}”:\n"
            f"  {loaded.sections} sections, {loaded.tags} tags, {loaded.authors} authors\n"
            f"  {articles.total()} articles: {articles['published']} published, "
            f"{articles['scheduled']} scheduled, {articles['draft']} draft\n"
            f"  {comments.total()} comments: {comments['approved']} approved, "
            f"{comments['pending']} awaiting moderation, {comments['spam']} spam, "
            f"{comments['rejected']} rejected"
        )
        if loaded.busy_article is not None:
            busy = loaded.busy_article
            self.say(
                f"  The busiest discussion ({busy.comment_count} comments, several pages): "
                f"{self.server}{busy.get_absolute_url()}"
            )

    def _how_to_log_in(self) -> None:
        self.say(
            f"\nStart the site with `{self._serve_command()}`, then:\n"
            f"  Read it:           {self.server}/\n"
            f"  Log in as editor:  {self.server}/admin/\n{self._editor_account()}\n"
            f"  Moderation queue:  {self.server}/moderation/"
        )

    def _serve_command(self) -> str:
        """The `broadsheet serve` that answers at --url: the links printed are only right
        when the server listens where they point (`make run PORT=8123` passes its own).
        An address without a port, or https, is a proxy's, which says nothing of this
        server's own."""
        parts = urlsplit(self.server)
        default = urlsplit(SERVER)
        try:
            port = parts.port
        except ValueError:
            port = None
        command = "broadsheet serve"
        if parts.scheme != "http" or port is None:
            return command
        host = parts.hostname
        if host and host != default.hostname:
            command += f" --host [{host}]" if ":" in host else f" --host {host}"
        if port != default.port:
            command += f" --port {port}"
        return command

    @staticmethod
    def _editor_account() -> str:
        # The account may have been deleted (or the site restored from a JSON backup
        # written before backups held accounts), or its password changed.
        name = loader.EDITOR_USERNAME
        editor = get_user_model().objects.filter(username=name).first()
        if editor is None:
            return (
                f"    This site has no `{name}` account:\n"
                "    create one with `broadsheet createsuperuser`."
            )
        if not editor.check_password(loader.EDITOR_PASSWORD):
            return f"    username: {name} (its password is no longer the demo's)"
        return f"    username: {name}\n    password: {loader.EDITOR_PASSWORD}"
