"""The language a person reads: gettext catalogs (Babel) and the request's language in a context variable.

Messages are written in English in the code and the templates, marked with `_()` (or `ngettext()` when a
number decides the form); `N_()` marks a message kept in a constant and translated where it is shown.
Every entry point sets the language before anything is said: the pages from the account, the language
cookie or the browser (`app/web/language.py`), the API from `Accept-Language`, the command line from
SITE_LANGUAGE. Catalogs live in app/locale/<language>/LC_MESSAGES/messages.po; `make install` compiles
them to .mo files, and a .po newer than its .mo is read directly, so an edit never shows stale text.
"""

from __future__ import annotations

import contextlib
import functools
import gettext as gettext_module
import io
import logging
from contextvars import ContextVar
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "pt_BR": "Português", "es": "Español"}
"""Each language Gatehouse speaks, by its code, with its name as its speakers write it."""

_default = SOURCE_LANGUAGE
_current: ContextVar[str | None] = ContextVar("language", default=None)


def configure(default_language: str) -> None:
    """The site's language (SITE_LANGUAGE): what anyone reads before choosing."""
    global _default
    if default_language not in LANGUAGES:
        raise ValueError(f"unknown language {default_language!r}")
    _default = default_language


def site_language() -> str:
    return _default


def use_language(language: str | None) -> str:
    """Speak `language` (the site's when None or unknown) for the rest of this request or command."""
    chosen = language if language in LANGUAGES else _default
    _current.set(chosen)
    return chosen


@contextlib.contextmanager
def speaking(language: str | None):
    """Speak `language` (the site's when None or unknown) inside the block, then what was spoken before:
    a notice built for each reader in theirs, in the middle of another person's request."""
    token = _current.set(language if language in LANGUAGES else _default)
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    return _current.get() or _default


def html_lang(language: str | None = None) -> str:
    """The BCP 47 tag for <html lang> and Content-Language (pt-BR, not pt_BR)."""
    return (language or current_language()).replace("_", "-")


def supported(code: str | None) -> str | None:
    """The language we speak for a tag such as 'pt-br', 'pt', 'es-CO' or 'en_GB', or None."""
    if not code:
        return None
    tag = code.strip().replace("-", "_")
    base = tag.split("_", 1)[0].lower()
    for language in LANGUAGES:
        if language.lower() == tag.lower():
            return language
    for language in LANGUAGES:
        if language.split("_", 1)[0] == base:
            return language
    return None


def from_accept_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header that we speak, honouring its q-values."""
    if not header:
        return None
    return _from_accept_language(header[:500])


@functools.lru_cache(maxsize=256)
def _from_accept_language(header: str) -> str | None:
    """Cached: a site's browsers and clients send a handful of distinct headers, and parsing one was most
    of what choosing the language cost an API request."""
    ranked = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _semicolon, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _equals, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _quality, _position, tag in sorted(ranked):
        if language := supported(tag):
            return language
    return None


@functools.cache
def translations(language: str) -> gettext_module.NullTranslations:
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return gettext_module.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if not po.exists():
        logging.getLogger("gatehouse.i18n").warning("No catalog for %s: it will read English", language)
        return gettext_module.NullTranslations()
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        return _compiled_in_memory(po)
    with mo.open("rb") as file:
        return Translations(file, domain=DOMAIN)


def _compiled_in_memory(po: Path) -> gettext_module.NullTranslations:
    with po.open("rb") as file:
        catalog = read_po(file)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def locale() -> Locale:
    return _locale(current_language())


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def gettext(message: str, **values: object) -> str:
    """`message` in the current language, with %(name)s placeholders filled from `values`."""
    text = translations(current_language()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    """The form of the message for `num` (%(num)s in the text) in the current language's plural rules."""
    text = translations(current_language()).ngettext(singular, plural, num)
    return text % {"num": num, **values}


def raw_gettext(message: str) -> str:
    """The translation alone, for Jinja's i18n extension (it fills and escapes the placeholders itself)."""
    return translations(current_language()).gettext(message)


def raw_ngettext(singular: str, plural: str, num: int) -> str:
    return translations(current_language()).ngettext(singular, plural, num)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for the catalogs where it is defined; `_()` translates it where it is shown."""
    return message


_ = gettext
