"""The app uses libraries through their public interfaces only (a private name may change in any release).

The two exceptions are app/db/sqlite_pool.py, whose subclass of Piccolo's SQLite engine is worth ~6x on
reads, and app/db/postgres_pool.py, whose PostgreSQL transaction always gives its connection back;
tests/unit/test_sqlite_pool.py and tests/unit/test_postgres_pool.py (PostgreSQL only) check each Piccolo
internal they rely on.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
ALLOWED_MODULES = {APP / "db" / "sqlite_pool.py"}
PUBLIC_PRIVATE_NAMES = {"_meta"}
"""Piccolo documents Table._meta (columns, the engine); it is named so to stay clear of column names."""


def _private_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
                continue  # our own classes' attributes
            if node.attr not in PUBLIC_PRIVATE_NAMES:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr"}
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and str(node.args[1].value).startswith("_")
        ):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_reaches_into_private_attributes_of_libraries():
    found = {
        str(path.relative_to(APP.parent)): uses
        for path in sorted(APP.rglob("*.py"))
        if "migrations" not in path.parts and path not in ALLOWED_MODULES
        if (uses := _private_uses(ast.parse(path.read_text())))
    }
    assert found == {}


MADE_BY_METACLASSES = {"_meta", "_abc_impl", "_is_protocol", "_is_runtime_protocol"}
"""Set on every subclass by Piccolo's Table, abc and typing.Protocol, not by us."""


def _library_privates_overridden(module) -> list[str]:
    """Private names our classes define that a library base class already has (overriding its internals)."""
    found = []
    for value in vars(module).values():
        if not isinstance(value, type) or value.__module__ != module.__name__:
            continue
        library_bases = [base for base in value.__mro__[1:] if not base.__module__.startswith("app.")]
        for name in vars(value):
            if name in MADE_BY_METACLASSES or not name.startswith("_") or name.startswith("__"):
                continue
            if any(name in vars(base) for base in library_bases):
                found.append(f"{value.__name__}.{name}")
    return found


def test_no_class_overrides_private_members_of_library_classes():
    found = {}
    for path in sorted(APP.rglob("*.py")):
        if "migrations" in path.parts or path in ALLOWED_MODULES:
            continue
        name = ".".join(path.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__")
        if overridden := _library_privates_overridden(importlib.import_module(name)):
            found[name] = overridden
    assert found == {}


def test_the_check_sees_what_it_looks_for():
    tree = ast.parse("BaseUser._pbkdf2_iteration_count\ngetattr(store, '_redis', None)\nself._own\nTable._meta")
    assert _private_uses(tree) == ["1: BaseUser._pbkdf2_iteration_count", "2: getattr(store, '_redis', None)"]
    from app.db import sqlite_pool

    assert set(_library_privates_overridden(sqlite_pool)) >= {
        "PooledSQLiteEngine._run_in_new_connection",
        "PooledSQLiteEngine._run_in_existing_connection",
    }
