"""The shipped catalogs are complete: every message the code and the templates mark today (extracted afresh,
not read from a template file that could be stale) has a translation in every shipped language, every
plural form is written, and each translation keeps the message's placeholders."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.lib import i18n
from app.settings import PROJECT_ROOT

SHIPPED = [language for language in i18n.LANGUAGES if language != i18n.SOURCE_LANGUAGE]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@cache
def marked_messages() -> dict[str, str | None]:
    """Each marked message (the singular for a plural) and its plural, as `make messages` would extract them."""
    with (PROJECT_ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    found: dict[str, str | None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        if isinstance(message, tuple):
            found[message[0]] = message[1]
        elif message:
            found.setdefault(message, None)
    return found


def _catalog(language: str):
    with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def test_the_code_marks_messages_for_translation():
    messages = marked_messages()
    assert "Check in" in messages
    assert len(messages) > 300, f"only {len(messages)} messages are marked"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_marked_message_is_translated(language):
    catalog = _catalog(language)
    missing, fuzzy, broken = [], [], []
    for singular, plural in marked_messages().items():
        entry = catalog.get(singular)
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(singular)
            continue
        if entry.fuzzy:
            fuzzy.append(singular)
        if plural is not None and not isinstance(entry.string, tuple):
            broken.append(f"{singular!r} needs its plural forms")
            continue
        wanted = set(_PLACEHOLDER.findall(singular)) | set(_PLACEHOLDER.findall(plural or ""))
        for form in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            # A plural form may say the number in words ("uma pessoa"), so only %(num)s may be left out.
            if set(_PLACEHOLDER.findall(form)) - wanted or wanted - {"num"} - set(_PLACEHOLDER.findall(form)):
                broken.append(f"{singular!r} -> {form!r}: placeholders differ")
    assert not missing, f"{len(missing)} messages have no {language} translation (run make messages):\n" + "\n".join(
        missing
    )
    assert not fuzzy, f"fuzzy {language} translations are not used: " + ", ".join(fuzzy)
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_plural_form_of_the_language_is_written(language):
    catalog = _catalog(language)
    plurals = [entry for entry in catalog if isinstance(entry.id, tuple)]
    assert plurals, "no message has plural forms"
    for entry in plurals:
        assert len(entry.string) == catalog.num_plurals, entry.id
