"""The docs must name every setting, tunable, command and API endpoint that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import broadsheet
from broadsheet.conf import TUNABLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SRC = Path(broadsheet.__file__).resolve().parent


def doc(name: str) -> str:
    return (DOCS / name).read_text()


def environment_variables() -> set[str]:
    text = (SRC / "settings.py").read_text()
    return {f"BROADSHEET_{name}" for name in re.findall(r'env(?:_[a-z]+)?\(\s*"([A-Z_]+)"', text)}


@pytest.mark.parametrize("variable", sorted(environment_variables()))
def test_every_environment_variable_is_documented(variable):
    assert f"`{variable}`" in doc("settings.md")


@pytest.mark.parametrize("name", sorted(TUNABLES))
def test_every_tunable_is_documented(name):
    assert f"`{name}`" in doc("settings.md")


def own_commands() -> list[str]:
    return sorted(p.stem for p in SRC.glob("**/management/commands/*.py") if p.stem != "__init__")


@pytest.mark.parametrize("command", own_commands())
def test_every_command_is_documented(command):
    assert f"`broadsheet {command}" in doc("cli.md")


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make run", "make test"]


def test_the_api_examples_name_articles_the_demo_has():
    # api.md's examples run against `make run`, which loads the demo: a reader who
    # pastes them gets answers, not a 404 for an article no site has.
    from broadsheet.demo.articles import ARTICLES

    named = set(re.findall(r"/api/v1/articles/([\w-]+)", doc("api.md")))
    assert named and named <= {article.slug for article in ARTICLES}
