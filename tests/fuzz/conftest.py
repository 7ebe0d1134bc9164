"""Compatibility: schemathesis 4.32's from_fixture renames the test node through `Node._nodeid`, which
pytest 9 no longer has (node ids are structured `_id`s). Give pytest's Function a `_nodeid` that reads
the real id and keeps what schemathesis writes aside, so the run works; sub-tests still report each
operation by its label."""

from __future__ import annotations

import pytest

if not hasattr(pytest.Function, "_nodeid"):

    def _get(node) -> str:
        return node.__dict__.get("_schemathesis_nodeid") or node.nodeid

    def _set(node, value: str) -> None:
        node.__dict__["_schemathesis_nodeid"] = value

    pytest.Function._nodeid = property(_get, _set)
