"""List pages: a search form, one page of results, and a "More" link that brings the next page's rows.

Every list page (visit history, a resident's history, residents, accounts, the audit trail, expected
visitors, the do-not-admit list) answers from one URL in three ways:
- a browser gets the whole page (`full`);
- htmx from the search form gets the results (`results`: a problem, an empty message, or the table);
- htmx from the "More" link, which carries the cursor, gets the next rows and the next "More" (`rows`).
The templates include one another (`full` includes `results`, which includes `rows`), so the first render
and every swap share one template; `templates/macros.html` has the form, results and "More" macros.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response

from app.lib import schemas as models
from app.lib.errors import Invalid
from app.web.render import page, wants_fragment


@dataclass(frozen=True)
class ListTemplates:
    full: str
    results: str
    rows: str


async def list_page(
    request: Request,
    templates: ListTemplates,
    fetch: Callable[[str | None], Awaitable[models.Page]],
    *,
    base: str,
    params: dict[str, str] | None = None,
    whole_page: Callable[[], Awaitable[dict[str, Any]]] | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """One page of `fetch(cursor)` rendered for whoever asked; a bad filter or cursor is shown, not raised.

    `whole_page` adds what only the full page shows (computed only when the full page is sent);
    `context` wins over the list's own names (a page whose add form reports `errors`)."""
    cursor = request.query_params.get("cursor") or None
    try:
        found, errors = await fetch(cursor), {}
    except Invalid as exc:
        found, errors = None, exc.errors
    values = {"base": base, "params": params or {}, "found": found, "errors": errors} | context
    if wants_fragment(request):
        return page(templates.rows if cursor else templates.results, status_code, **values)
    extra = await whole_page() if whole_page else {}
    return page(templates.full, status_code, **values, **extra)
