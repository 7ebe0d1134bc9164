"""A guard for /static: a path with a NUL or another control character names no file we serve.

The file system refuses such a path with an error (ValueError: embedded null byte) that would be a 500; this
answers 404 before any directory is looked at, whichever directories /static serves.
"""

from __future__ import annotations

import re

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain_path_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if _CONTROL.search(connection.scope["path"]):
        raise NotFoundException()
