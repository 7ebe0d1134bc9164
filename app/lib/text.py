"""Small text normalisations shared by the rules."""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata

from piccolo.columns.combination import Or

from app.lib.i18n import N_

_NOT_PLATE_CHARS = re.compile(r"[^0-9A-Z]")
_PLATE_SEPARATORS = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
NAME_KEY_MAX = 120
"""The name_key columns' length: case folding can lengthen a name ('ß' is 'ss'), so keys are cut to fit."""
EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+$"
"""Published in the OpenAPI document too: one @, a dot in the domain, no spaces or control characters."""
NOT_BLANK_PATTERN = r"[^\s\x00-\x1f\x7f-\x9f]"
"""Some character that is neither white space nor a control character: what clean_text keeps."""
_EMAIL = re.compile(EMAIL_PATTERN)
NOT_AN_EMAIL = N_("should look like name@example.com")
"""The field message for an address is_email refuses, translated where it is shown: `_(NOT_AN_EMAIL)`."""


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) are exactly these 65 code points; one regex pass instead of a
category lookup per character (a check-in cleans five fields)."""


def clean_text(value: str | None) -> str:
    """Trim and collapse runs of white space, drop control characters (PostgreSQL refuses NUL); None is ''."""
    return _CONTROL.sub("", _SPACES.sub(" ", value or "")).strip()


def optional_text(value: str | None) -> str | None:
    cleaned = clean_text(value)
    return cleaned or None


def canonical_plate(plate: str | None) -> str | None:
    """A plate as it is stored and shown: upper case, its groups of letters and digits joined by one hyphen
    ("ban 0001", "BAN-0001" and " BAN -- 0001 " are all "BAN-0001"; "ABC1D23" stays one group). It never
    changes the plate's key, so a plate stored before this form still matches."""
    groups = _PLATE_SEPARATORS.split(clean_text(plate).upper())
    return "-".join(group for group in groups if group) or None


def plate_key(plate: str | None) -> str | None:
    """ "abc-1d23" and "ABC 1D23" share the key "ABC1D23"."""
    key = _NOT_PLATE_CHARS.sub("", (plate or "").upper())
    return key or None


def normal_email(email: str | None) -> str:
    """The one form of an email that finds an account and counts its failed sign-ins: control characters
    dropped, spaces trimmed, lower case. Anything that finds the same account must count the same."""
    return clean_text(email).lower()


@functools.lru_cache(maxsize=1024)  # parsed on every API request; the same few callers come back
def ip_address(host: str | None) -> str | None:
    """A client's address as stored and counted: a real IPv4/IPv6 address in its short form, else None.

    uvicorn passes on whatever a trusted proxy's X-Forwarded-For says, which can be any text (a 100-character
    'address' broke the 64-character column on PostgreSQL). An IPv6 zone (`%eth0`) means nothing here."""
    try:
        return str(ipaddress.ip_address((host or "").partition("%")[0]))
    except ValueError:
        return None


def like_fragment(term: str) -> str:
    """A search term made safe for LIKE: its own wildcards are dropped, not interpreted."""
    return term.replace("%", "").replace("_", "")


def contains(column, term: str):
    """Case-insensitive substring match: ILIKE on PostgreSQL, LIKE (already case-insensitive) on SQLite."""
    pattern = f"%{term}%"
    return column.like(pattern) if column._meta.engine_type == "sqlite" else column.ilike(pattern)


def name_contains(name_key_column, term: str):
    """A fragment of a name however it is typed: case, accents and punctuation ignored ("jose" and "JOSÉ"
    find José, "obrien" does not but "o brien" and "O'Bri" find O'Brien); None when the term has no letters."""
    key = name_key(like_fragment(term))
    return name_key_column.like(f"%{key}%") if key else None


def name_or_plate(name_key_column, plate_key_column, q: str | None):
    """A search box's text as a clause: a fragment of the name (any case or accents), or of the plate however
    it is typed ("kzt 4r" finds KZT-4R21); None for a blank search."""
    term = like_fragment(clean_text(q))
    if not term:
        return None
    found = any_of(name_contains(name_key_column, term), _plate_contains(plate_key_column, term))
    return found if found is not None else plate_key_column.is_null() & plate_key_column.is_not_null()


def any_of(*clauses):
    """The clauses joined by OR, leaving out the None of a term that cannot match a column (no letters for a
    name key, no letters or digits for a plate key); None when nothing is left."""
    present = [clause for clause in clauses if clause is not None]
    if not present:
        return None
    joined = present[0]
    for clause in present[1:]:
        joined = Or(joined, clause)
    return joined


def _plate_contains(plate_key_column, term: str):
    key = plate_key(term)
    return plate_key_column.like(f"%{key}%") if key else None


def is_email(text: str) -> bool:
    """A light check: one @, a dot in the domain, no spaces. Delivery is the real test."""
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


def name_key(name: str | None) -> str | None:
    """ "José  da Silva", "jose da silva" and "Jose-da-Silva" share the key "jose da silva": case, accents
    and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", clean_text(name))
    if not decomposed.isascii():  # ASCII has no combining marks
        decomposed = "".join(char for char in decomposed if not unicodedata.combining(char))
    letters = decomposed.casefold()
    key = " ".join(_NOT_WORD.sub(" ", letters).split())  # "Ex-Partner" and "ex partner" alike
    return key[:NAME_KEY_MAX].rstrip() or None


def prefix_range(column, prefix: str) -> tuple:
    """`column` starts with `prefix`, as a range both engines answer from an index (LIKE would not)."""
    return column >= prefix, column < prefix + "\U0010ffff"
