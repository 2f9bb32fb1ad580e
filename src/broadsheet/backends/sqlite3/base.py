"""Django's SQLite backend, which makes the database's folder on first connecting and
remembers whether it made the file, so that a command that fails can take back an
empty database it made (``broadsheet.cli``).

The folder is made here, not when the settings are read: a command refused for a wrong
argument or setting connects to nothing, and so leaves nothing behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    # The folders and the file this process made by connecting, newest last.
    made: list[Path]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.made = []

    def get_new_connection(self, conn_params: dict) -> Any:
        if not self.is_in_memory_db():
            self._make_way(Path(self.settings_dict["NAME"]))
        return super().get_new_connection(conn_params)

    def _make_way(self, file: Path) -> None:
        missing = [folder for folder in (file, *file.parents) if not folder.exists()]
        # Outermost first: each is made in the one before.
        for folder in reversed(missing[1:] if missing and missing[0] == file else missing):
            try:
                folder.mkdir(exist_ok=True)
            except OSError as exc:  # a file on the way, or a folder not ours to write
                raise ImproperlyConfigured(
                    f"BROADSHEET_DATA_DIR: cannot make the folder {folder} for the SQLite "
                    f"database ({exc.strerror})."
                ) from exc
            self.made.append(folder)
        if file in missing:
            self.made.append(file)  # SQLite makes it on connecting
