"""What an import did, counted per kind of record, and the problems it met."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("found", "created", "updated", "skipped", "errors")


def plural(n: int, one: str, many: str) -> str:
    """The words that agree with the number ``n``: ``one`` for 1, else ``many``. The
    summary is English (as Django's own commands speak), which has these two forms."""
    return one if n == 1 else many


def counted(n: int, one: str, many: str) -> str:
    """``n`` and the words that agree with it: ``counted(1, "comment was", "comments
    were")`` is "1 comment was", and with 2, "2 comments were"."""
    return f"{n} {plural(n, one, many)}"


@dataclass
class Tally:
    found: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0


@dataclass
class Summary:
    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    # Notes beyond this many are counted, not kept.
    max_notes: int = 200
    dropped_notes: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        tally = self.tallies[kind]
        setattr(tally, outcome, getattr(tally, outcome) + n)

    # The file being read, when an import reads several: its notes name it.
    source: str = ""

    def note(self, message: str, line: int | None = None) -> None:
        if len(self.notes) >= self.max_notes:
            self.dropped_notes += 1
            return
        where = ", ".join(filter(None, [self.source, f"line {line}" if line else ""]))
        self.notes.append(f"{where}: {message}" if where else message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def inform(self, message: str) -> None:
        self.info.append(message)

    def get(self, kind: str) -> Tally:
        return self.tallies[kind]

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {kind: vars(t).copy() for kind, t in self.tallies.items()}

    def render(self, *, dry_run: bool = False, quiet: bool = False) -> str:
        """The tallies and what was said; ``quiet`` (``-v 0``), only the warnings and notes
        (what was left out or changed)."""
        if quiet:
            return "\n".join(self._said(with_info=False))
        width = max([len(k) for k in self.tallies] + [8])
        lines = [
            "Dry run: nothing was written." if dry_run else "Done.",
            f"{'':{width}}  " + "  ".join(f"{o:>7}" for o in OUTCOMES),
        ]
        for kind, tally in self.tallies.items():
            counts = "  ".join(f"{getattr(tally, o):>7}" for o in OUTCOMES)
            lines.append(f"{kind:{width}}  {counts}")
        return "\n".join(lines + self._said(with_info=True))

    def _said(self, *, with_info: bool) -> list[str]:
        lines = list(self.info) if with_info else []
        lines += [f"warning: {w}" for w in self.warnings]
        lines += self.notes
        if self.dropped_notes:
            lines.append(f"... and {counted(self.dropped_notes, 'more note', 'more notes')}")
        return lines
