"""Litestar and Piccolo are pinned to the minor version the suite ran on (the app subclasses their internals
in places: app/db/sqlite_pool.py, app/web/sessions.py), and constraints.txt agrees with pyproject.toml."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from app.settings import PROJECT_ROOT


def _requirements() -> dict[str, Requirement]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    return {(r := Requirement(text)).name: r for text in project["dependencies"]}


def _constraints() -> dict[str, Version]:
    pins = {}
    for line in (PROJECT_ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, _, pinned = line.partition("==")
            pins[name.strip().lower()] = Version(pinned.strip())
    return pins


@pytest.mark.parametrize("package", ["litestar", "piccolo"])
def test_pinned_to_the_tested_minor_version(package):
    specifier = _requirements()[package].specifier
    tested = Version(version(package))
    next_minor = Version(f"{tested.major}.{tested.minor + 1}.0")
    assert tested in specifier
    assert next_minor not in specifier, f"{package} {specifier} allows {next_minor}, which no test has run on"
    assert _constraints()[package] == tested
