"""Reading forms, the one way every page does it.

A feature's forms module (visits, expected, bans, residents, accounts, erasure) turns a `Form` into
the same Struct the API takes, and its service checks the rules. The conversions a form needs
before that (a number typed as text, a resident picked from a list) note their problems in
`Form.errors`, under the API's camelCase field names, so a page reports them beside the rules'.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from litestar import Request
from litestar.datastructures import UploadFile

from app.lib.errors import FieldErrors


class Form:
    """A posted form's (or a query string's) text fields as the user typed them, to show back on errors."""

    def __init__(self, fields: Mapping[str, str], lists: Mapping[str, list[str]] | None = None) -> None:
        self.fields = dict(fields)
        self.lists = dict(lists or {})
        self.errors = FieldErrors()
        self.upload: UploadFile | None = None

    def text(self, name: str) -> str:
        return self.fields.get(name) or ""

    def optional(self, name: str) -> str | None:
        """The text, or None when blank: an empty box means 'none'."""
        return self.fields.get(name) or None

    def all(self, name: str) -> list[str]:
        """Every value of a field sent more than once (checkboxes)."""
        return self.lists.get(name, [])

    def checked(self, name: str, value: str = "on") -> bool:
        return self.fields.get(name) == value

    def uuid(self, name: str, when_missing: str | None = None, when_wrong: str | None = None) -> UUID | None:
        """An id picked from a list; None when blank or not an id (a half-typed picker), noting the
        given problem when one is given (the service reports a missing id otherwise)."""
        text = self.text(name).strip()
        if not text:
            if when_missing:
                self.errors.add(name, when_missing)
            return None
        try:
            return UUID(text)
        except ValueError:
            if when_wrong:
                self.errors.add(name, when_wrong)
            return None

    def optional_whole_number(self, name: str, problem: str) -> int | None:
        """A whole number typed as text; blank means none."""
        text = self.text(name).strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            self.errors.add(name, problem)
            return None

    def whole_number(self, name: str, default: int, problem: str) -> int:
        """A whole number typed as text; blank means `default`."""
        try:
            return int(self.text(name).strip() or str(default))
        except ValueError:
            self.errors.add(name, problem)
            return default


async def read_form(request: Request) -> Form:
    """The posted form: text fields, repeated fields, and the first uploaded file (if any)."""
    posted = await request.form()
    form = Form(
        {key: value for key, value in posted.items() if isinstance(value, str)},
        {key: [v for v in posted.getall(key) if isinstance(v, str)] for key in posted},
    )
    form.upload = next((value for value in posted.values() if isinstance(value, UploadFile)), None)
    return form


def read_query(request: Request, names: tuple[str, ...] | None = None) -> Form:
    """A GET form: the query string's fields (only `names` when given, each as '' when absent)."""
    params = request.query_params
    if names is None:
        return Form(dict(params))
    return Form({name: params.get(name, "") for name in names})
