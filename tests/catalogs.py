"""Small catalogs written for a test, so the tests of the machinery do not depend on the shipped translations.

`use_catalogs(monkeypatch, folder, table)` writes app/locale-like .po files under `folder` from
`{msgid: {"pt_BR": text, "es": text}}` (a plural: `{"plural": msgid_plural, "pt_BR": [forms], ...}`),
points app.lib.i18n at them and forgets the catalogs read before; the fixture `fresh_catalogs` forgets
them again after the test, so no other test reads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from app.lib import i18n

TRANSLATED = ("pt_BR", "es")


def write_catalogs(folder: Path, table: dict[str, dict]) -> None:
    for language in TRANSLATED:
        catalog = Catalog(locale=language, domain=i18n.DOMAIN)  # Babel's plural forms: the shipped catalogs' three
        for msgid, entry in table.items():
            if "plural" in entry:
                catalog.add((msgid, entry["plural"]), tuple(entry[language]), flags=["python-format"])
            else:
                catalog.add(msgid, entry[language])
        po = folder / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as file:
            write_po(file, catalog)


def use_catalogs(monkeypatch: pytest.MonkeyPatch, folder: Path, table: dict[str, dict]) -> None:
    write_catalogs(folder, table)
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    i18n.translations.cache_clear()


@pytest.fixture
def fresh_catalogs():
    """Forget the test's catalogs afterwards, and the site's language or the current one it may have changed."""
    site_language = i18n.site_language()
    yield
    i18n.translations.cache_clear()
    i18n.configure(site_language)
    i18n.use_language(None)
