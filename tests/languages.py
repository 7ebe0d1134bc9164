"""What a page says, read as a person reads it, and the English left in it, for the language tests."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from app.lib.i18n import LOCALE_DIR

TRANSLATED = ("pt_BR", "es")
ACCEPT = {"en": "en", "pt_BR": "pt-BR,pt;q=0.9", "es": "es-CO,es;q=0.9"}
_READ_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "data-label")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class _Reader(HTMLParser):
    """Collects the text nodes and the attributes a person reads or hears, outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skipping += 1
        for name, value in attrs:
            if value and (name in _READ_ATTRIBUTES or name.startswith("data-text")):
                self.pieces.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.pieces.append(data)


def readable_texts(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html.replace("<wbr>", ""))  # a line-break opportunity inside one text (an email), not two texts
    return [" ".join(piece.split()) for piece in reader.pieces]


@cache
def catalog(language: str) -> dict[str, str]:
    """msgid (singular and plural) to its translation, for messages whose translation differs from the English."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        messages = read_po(file, locale=language)
    table = {}
    for message in messages:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english, translated in zip(ids, strings, strict=False):
            if translated and translated != english:
                table[english] = translated
    return table


@cache
def _pattern(message: str) -> re.Pattern:
    """An English message as a pattern over a page's text: placeholders match anything, tags are gone."""
    text = " ".join(re.sub(r"<[^>]+>", " ", message).split())
    parts = _PLACEHOLDER.split(text)
    literal = [re.escape(part) for part in parts[::2]]
    return re.compile(r"(?<![\w])" + ".+?".join(literal) + r"(?![\w])")


def _worth_checking(message: str) -> bool:
    """Messages whose English can be told apart from data: two words or more of letters outside placeholders."""
    words = re.findall(r"[A-Za-z]{2,}", _PLACEHOLDER.sub(" ", re.sub(r"<[^>]+>", " ", message)))
    return len(words) >= 2


@cache
def _checked_messages(language: str) -> tuple[tuple[str, ...], re.Pattern]:
    """The catalog's messages worth checking, and one pattern that matches where any of them does."""
    messages = tuple(english for english in catalog(language) if _worth_checking(english))
    return messages, re.compile("|".join(f"(?:{_pattern(english).pattern})" for english in messages))


@cache
def _english_in(text: str, language: str) -> tuple[str, ...]:
    """Each message whose English is in `text`. Pages repeat their texts (the navigation, the headings), and
    most texts hold none: one search of the combined pattern answers those before each message is tried."""
    messages, any_of_them = _checked_messages(language)
    if not any_of_them.search(text):
        return ()
    return tuple(english for english in messages if _pattern(english).search(text))


def english_left(html: str, language: str, data: tuple[str, ...] = ()) -> list[str]:
    """The translated messages whose English still shows on the page (data such as names taken out first)."""
    found = []
    for text in readable_texts(html):
        for value in data:
            text = text.replace(value, " ")
        found += [f"{english!r} in {text!r}" for english in _english_in(text, language)]
    return found


def unchanged_texts(english_html: str, translated_html: str, allowed: re.Pattern) -> list[str]:
    """Texts that read the same in English and in the translation and are not data: marked nowhere, most likely."""
    translated = set(readable_texts(translated_html))
    return sorted(
        {
            text
            for text in readable_texts(english_html)
            if text in translated and re.search(r"[A-Za-z]{3,}", text) and not allowed.fullmatch(text)
        }
    )
