"""Helpers for the import and export tests: run the commands as an operator does."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SAMPLES = Path(__file__).resolve().parent / "samples"


def run_import(fmt: str, path: Path | str, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("import", fmt, str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def run_export(fmt: str, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("export", fmt, *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def wxr_site(db):
    """The main WordPress sample, imported."""
    return run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")


def tally(output: str, kind: str) -> list[int]:
    """found, created, updated, skipped, errors for ``kind`` from a summary."""
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] == kind:
            return [int(n) for n in parts[1:6]]
    raise AssertionError(f"no {kind} line in:\n{output}")
