"""The app uses libraries through their public interfaces only (a private name may change in any release).

The one exception is app/db/sqlite_pool.py, whose subclass of Piccolo's SQLite engine is worth ~6x on
reads; tests/unit/test_sqlite_pool.py checks each Piccolo method it relies on.
"""

from __future__ import annotations

import ast
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


def test_the_check_sees_what_it_looks_for():
    tree = ast.parse("BaseUser._pbkdf2_iteration_count\ngetattr(store, '_redis', None)\nself._own\nTable._meta")
    assert _private_uses(tree) == ["1: BaseUser._pbkdf2_iteration_count", "2: getattr(store, '_redis', None)"]
