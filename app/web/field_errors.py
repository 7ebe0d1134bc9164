"""A field's error on a form, as a plain sentence that names the field.

Services (and so the API, beside each field's name) say what is wrong with a field as a predicate: "is
required and cannot be blank", "must be at most 120 characters". Beside a form's field that reads as a
fragment, so the page puts the field's label in front: "Visitor name is required and cannot be blank." A
message that is not a predicate ("choose the resident being visited", "another gate has this name") already
says what it is about and is shown as a sentence of its own. Which is which is decided on the English
message (the msgid), so a translation's word order or capitals change nothing.
"""

from __future__ import annotations

import functools
import re

from babel.messages.pofile import read_po

from app.lib import i18n
from app.lib.i18n import LOCALE_DIR, _

_PREDICATE = re.compile(r"^(?:is|are|was|has|must|should|cannot|can|does|repeats) ")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*$")  # "Tracking numbers (optional)" is named "Tracking numbers"
_END = (".", "!", "?", "…")


@functools.cache
def _predicate_msgids() -> tuple[str, ...]:
    """Every marked message that is a predicate, from the catalogs' template (app/locale/messages.pot)."""
    with (LOCALE_DIR / "messages.pot").open("rb") as file:
        template = read_po(file)
    return tuple(message.id for message in template if isinstance(message.id, str) and _PREDICATE.match(message.id))


@functools.lru_cache(maxsize=8)
def _predicates(translations) -> tuple[re.Pattern, ...]:
    """A catalog's translations of the predicate msgids, as patterns (a placeholder matches anything); kept per
    catalog object, so they follow the catalogs when those are loaded again."""
    patterns = []
    for msgid in _predicate_msgids():
        parts = _PLACEHOLDER.split(translations.gettext(msgid))
        patterns.append(re.compile("^" + ".+".join(re.escape(part) for part in parts) + "$", re.DOTALL))
    return tuple(patterns)


def is_predicate(message: str) -> bool:
    """Whether the message says what is wrong as a predicate of the field ("is required…")."""
    if _PREDICATE.match(message):
        return True
    return any(pattern.match(message) for pattern in _predicates(i18n.translations(i18n.current_language())))


def field_sentence(message: str, label: str | None = None) -> str:
    """The message as the form shows it beside its field: a sentence naming the field by its label."""
    message = message.strip()
    if not message:
        return message
    if is_predicate(message):
        name = _PARENTHESES.sub("", label or "").strip().rstrip(":")
        if name:
            # Translators: a form field's label, then what is wrong with it ("is required and cannot be blank").
            sentence = _("%(field)s %(problem)s", field=name, problem=message)
        else:
            # Translators: what is wrong with a form field whose label is not at hand ("is required…").
            sentence = _("This field %(problem)s", problem=message)
    else:
        sentence = message[0].upper() + message[1:]
    return sentence if sentence.endswith(_END) else sentence + "."
