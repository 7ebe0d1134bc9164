"""Domain errors. The API turns them into problem details, the pages into messages."""

from __future__ import annotations

from collections.abc import Callable

from app.lib.i18n import N_, _, ngettext
from app.lib.text import clean_text, optional_text


class DomainError(Exception):
    """`detail` comes translated (`_()` where it is raised); the class's `title` is marked with N_ and
    translated here, once raised, so the API and the pages both show it in the reader's language."""

    status_code = 400
    title = N_("Bad request")

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.title = _(self.title)


class NotFound(DomainError):
    status_code = 404
    title = N_("Not found")


class Forbidden(DomainError):
    status_code = 403
    title = N_("Forbidden")


class Conflict(DomainError):
    status_code = 409
    title = N_("Conflict")


class InUse(Conflict):
    """A record that others still refer to cannot be deleted; `references` counts them by kind."""

    def __init__(self, detail: str, references: dict[str, int]) -> None:
        super().__init__(detail)
        self.references = references


class Unauthenticated(DomainError):
    status_code = 401
    title = N_("Unauthorized")


class Invalid(DomainError):
    """One or more fields are wrong; `errors` maps each field to what is wrong with it."""

    status_code = 400
    title = N_("Invalid data")

    def __init__(self, errors: dict[str, str], detail: str | None = None) -> None:
        self.errors = errors
        super().__init__(detail or _summary(errors))


def _summary(errors: dict[str, str]) -> str:
    if len(errors) == 1:
        field, message = next(iter(errors.items()))
        return f"{field}: {message}"
    fields = ", ".join(errors)
    return ngettext(
        "%(num)s field is invalid: %(fields)s", "%(num)s fields are invalid: %(fields)s", len(errors), fields=fields
    )


class FieldErrors:
    """Collects field errors so a request reports all its problems at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def required(self, field: str, value: str | None, limit: int, stored: Callable[[str], str] | None = None) -> str:
        """The cleaned text as it will be stored (after `stored`, such as str.upper), noting an error when it is
        blank or longer than `limit` as sent (the limit the OpenAPI document states) or as stored ('ß' is 'SS')."""
        cleaned = clean_text(value)
        if not cleaned:
            self.add(field, _("is required and cannot be blank"))
            return cleaned
        result = stored(cleaned) if stored else cleaned
        self._limit(field, value or "", result, limit)
        return result

    def optional(
        self, field: str, value: str | None, limit: int, stored: Callable[[str], str | None] | None = None
    ) -> str | None:
        """The cleaned text as it will be stored, or None, noting an error when it is longer than `limit`."""
        cleaned = optional_text(value)
        result = stored(cleaned) if stored and cleaned else cleaned
        self._limit(field, value or "", result or "", limit)
        return result or None

    def _limit(self, field: str, sent: str, result: str, limit: int) -> None:
        if len(sent) > limit or len(result) > limit:
            if len(result) > limit >= len(sent):  # 'ß' became 'SS'
                self.add(field, _("must be at most %(limit)s characters as stored (its case changed)", limit=limit))
            else:
                self.add(field, _("must be at most %(limit)s characters", limit=limit))

    def raise_if_any(self) -> None:
        if self.errors:
            raise Invalid(self.errors)


class KeyReused(DomainError):
    """An Idempotency-Key sent again with another request than the one it was first used for."""

    status_code = 422
    title = N_("Idempotency key reused")
