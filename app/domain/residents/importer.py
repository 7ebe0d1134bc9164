"""Setting up a building from a spreadsheet: residents from CSV, previewed, then written all or nothing.

The preview and the import run the same checks; the import runs them again inside its write
transaction, so a file that was clean at preview but clashes by the time it is sent writes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import msgspec

from app.db.engine import write_transaction
from app.db.tables import Resident as ResidentTable
from app.domain.residents import schemas as resident_schemas
from app.domain.residents import service as residents
from app.domain.residents.schemas import IMPORT_MAX_BYTES, ImportInput, ImportOutcome, Line, Preview, Problem
from app.lib.actors import Actor, require_admin
from app.lib.errors import Invalid
from app.lib.i18n import _, ngettext
from app.lib.paging import MAX_LIMIT, all_pages
from app.lib.spreadsheet import csv_value

COLUMNS = ("name", "unit", "email", "phone")
REQUIRED = ("name", "unit")
MAX_BYTES = IMPORT_MAX_BYTES
MAX_LINES = 5_000


def _too_large() -> Invalid:
    return Invalid(
        {"file": _("is larger than %(megabytes)s MB; split it into smaller files", megabytes=MAX_BYTES // 1_000_000)}
    )


def decode(data: bytes) -> str:
    """An uploaded file's text: UTF-8, with or without the byte-order mark spreadsheets add."""
    if len(data) > MAX_BYTES:
        raise _too_large()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid({"file": _("is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'")}) from None


SEPARATORS = (";", "\t", ",")


def _separator(text: str) -> str:
    """Spreadsheets in many countries write ';' between columns. Look at the first few lines: the
    separator is the one every line has the same number of (a ',' inside 'Lee, Ann' is then not)."""
    sample = [line for line in text.split("\n") if line.strip()][:5]
    counts = {sep: [line.count(sep) for line in sample] for sep in SEPARATORS}
    steady = [sep for sep in SEPARATORS if counts[sep] and counts[sep][0] > 0 and len(set(counts[sep])) == 1]
    if steady:
        return steady[0]
    return max(SEPARATORS, key=lambda sep: sum(counts[sep]))


def _separator_name(separator: str) -> str:
    return _("tab") if separator == "\t" else f"'{separator}'"


def _other_separator(number: int, cells: list[str], separator: str) -> Problem | None:
    """A line that is one value holding another separator ("Ana Lima;B-302" in a comma file): saying so is
    what helps, not that its unit is missing."""
    if len(cells) >= len(REQUIRED):
        return None
    found = next((sep for sep in SEPARATORS if sep != separator and sep in "".join(cells)), None)
    if found is None:
        return None
    message = _(
        "uses %(found)s between values where the file uses %(used)s: save the file with %(used)s",
        found=_separator_name(found),
        used=_separator_name(separator),
    )
    return Problem(number, "line", message)


def _columns(first_row: list[str], number: int) -> tuple[list[str] | None, list[Problem]]:
    """The header's column order, or None when the first row is data in the order name, unit, email, phone."""
    names = [cell.strip().casefold() for cell in first_row]
    if not set(names) & set(COLUMNS):
        return None, []
    known = ", ".join(COLUMNS)
    problems = [
        Problem(
            number,
            name or _("column %(number)s", number=index + 1),
            _("is not a column we know (use %(columns)s)", columns=known),
        )
        for index, name in enumerate(names)
        if name not in COLUMNS
    ]
    problems += [
        Problem(number, name, _("column is missing from the first line")) for name in REQUIRED if name not in names
    ]
    return names, problems


def _line(number: int, cells: list[str], columns: list[str]) -> tuple[Line | None, list[Problem]]:
    if len(cells) > len(columns):
        message = ngettext(
            "has %(num)s values; expected at most %(limit)s",
            "has %(num)s values; expected at most %(limit)s",
            len(cells),
            limit=len(columns),
        )
        return None, [Problem(number, "line", message)]
    values = dict(zip(columns, map(csv_value, cells), strict=False))
    data = resident_schemas.ResidentInput(
        name=values.get("name", ""), unit=values.get("unit", ""), email=values.get("email"), phone=values.get("phone")
    )
    try:
        cleaned = residents.clean_resident(data)
    except Invalid as exc:
        return None, [Problem(number, field, message) for field, message in exc.errors.items()]
    return Line(number, cleaned["name"], cleaned["unit"], cleaned["email"], cleaned["phone"]), []


def read_csv(data: bytes | str) -> Preview:
    """Every line checked on its own; problems carry the line number a spreadsheet shows."""
    text = data if isinstance(data, str) else decode(data)
    if len(text) > MAX_BYTES:
        raise _too_large()
    if "\x00" in text:
        raise Invalid({"file": _("is not a text file")})
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends alike
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    lines: list[Line] = []
    problems: list[Problem] = []
    columns: list[str] | None = None
    first_line = 1
    try:
        for cells in reader:
            number, first_line = first_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if any("\n" in cell for cell in cells):
                problems.append(Problem(number, "line", _('opens a quote (") that is never closed')))
                break
            if columns is None:
                header, header_problems = _columns(cells, number)
                problems += header_problems
                columns = header or list(COLUMNS)
                if header is not None:
                    continue
            if len(lines) + len(problems) >= MAX_LINES:
                raise Invalid(
                    {"file": _("has more than %(limit)s lines; split it into smaller files", limit=MAX_LINES)}
                )
            if (mixed := _other_separator(number, cells, separator)) is not None:
                problems.append(mixed)
                continue
            line, line_problems = _line(number, cells, columns)
            problems += line_problems
            lines += [line] if line else []
    except csv.Error:
        problems.append(Problem(first_line, "line", _('cannot be read: check its quotes (")')))
    if not lines and not problems:
        raise Invalid({"file": _("has no residents in it")})
    return Preview(lines=lines, problems=problems)


def _repeats(lines: list[Line]) -> list[Problem]:
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for line in lines:
        key = (line.name.casefold(), line.unit)
        if key in seen:
            problems.append(Problem(line.line, "name", _("repeats line %(line)s (same name and unit)", line=seen[key])))
        seen.setdefault(key, line.line)
    return problems


async def preview(actor: Actor, data: bytes | str) -> Preview:
    """What the import would write, and every line that stops it, with nothing written."""
    require_admin(actor, "Only administrators may import residents.")
    found = read_csv(data)
    existing = await residents.existing_homes({(line.name, line.unit) for line in found.lines})
    clashes = [
        Problem(line.line, "name", _("%(name)s already lives in %(unit)s", name=line.name, unit=line.unit))
        for line in found.lines
        if (line.name, line.unit) in existing
    ]
    problems = sorted(found.problems + _repeats(found.lines) + clashes, key=lambda problem: problem.line)
    return Preview(lines=found.lines, problems=problems)


async def import_residents(actor: Actor, data: bytes | str) -> list[resident_schemas.Resident]:
    """All lines or none: any problem, found again inside the transaction, writes nothing."""
    require_admin(actor, "Only administrators may import residents.")
    async with write_transaction(ResidentTable._meta.db):
        checked = await preview(actor, data)
        if checked.problems:
            count = len(checked.problems)
            raise Invalid(
                {
                    "file": ngettext(
                        "has %(num)s problem; nothing was imported", "has %(num)s problems; nothing was imported", count
                    )
                },
                detail=_("The file has problems; nothing was imported."),
            )
        cleaned = [{**msgspec.structs.asdict(line), "active": True} for line in checked.lines]
        for values in cleaned:
            del values["line"]
        return await residents.add_residents(actor, cleaned)


async def check_or_import(actor: Actor, data: ImportInput) -> ImportOutcome:
    """'Check' shows every line and problem with nothing written; 'Import' writes all lines or none.

    Whatever stops an import comes back with the preview of the text, so a bad line can be fixed and
    checked again."""
    require_admin(actor, "Only administrators may import residents.")
    outcome = ImportOutcome(csv_text="")
    try:
        outcome.csv_text = decode(data.file) if data.file is not None else data.csv_text
        if data.write:
            outcome.added = await import_residents(actor, outcome.csv_text)
            return outcome
    except Invalid as exc:
        outcome.errors = exc.errors
    if outcome.csv_text:
        try:
            outcome.preview = await preview(actor, outcome.csv_text)
        except Invalid as exc:
            outcome.errors = outcome.errors or exc.errors
    elif not outcome.errors:
        outcome.errors = {"file": _("choose a CSV file or paste its lines")}
    return outcome


async def export_residents(actor: Actor, q: str | None, active: bool | None) -> AsyncIterator[list[list]]:
    """The residents the list shows for these filters, by name, as rows of COLUMNS: the file this import reads
    back into the same residents (csv_value undoes the export's guard against formulas)."""
    require_admin(actor, "Only administrators may export residents.")

    async def fetch(cursor: str | None):
        return await residents.list_residents(actor, q, active, MAX_LIMIT, cursor)

    async def rows() -> AsyncIterator[list[list]]:
        async for found in await all_pages(fetch):
            yield [[resident.name, resident.unit, resident.email, resident.phone] for resident in found]

    return rows()
