"""Every page and fragment, read in Portuguese and in Spanish by each role that may open it: no English
message is left where the catalog has a translation, and no text reads the same in English and in the
translation unless it is data (names, plates, times) or a word the languages share."""

from __future__ import annotations

import re

import pytest

from tests.languages import ACCEPT, TRANSLATED, english_left, unchanged_texts
from tests.web.test_role_matrix import MATRIX, _url, people  # noqa: F401 - people is a fixture

PAGE_ROLES = ("a", "guard", "admin")
SKIPPED_PREFIXES = ("/api", "/static", "/schema", "/healthz", "/readyz", "/sw.js", "/manifest.webmanifest")  # not pages
DOWNLOADS = "/export"
"""Routes ending so send a CSV file, whose column names are the API's in every language."""

# What may read the same in every language: the fixtures' data (a visit's subject "Guest", the token named
# "tests", the audit's "system" actor), the product's name, the language names, the CSV import's column
# names (the words a file must use), addresses, times and codes; carriers' names.
# "Main gate" is the default gate's name, stored once (in the site's language) when the tables are set up.
DATA = (
    "Visitor of B",
    "Cleaner",
    "Threatened the staff",
    "Ana Lima",
    "Bruno Costa",
    "Walk-in for B",
    "Main gate",
    "Quiet night",
)
SAME_IN_EVERY_LANGUAGE = re.compile(
    r"|".join(
        [
            r"Gatehouse",
            r"English|Português|Español",
            r"[\w.+-]+@[\w.-]+(?: · Gatehouse)?",  # emails, and an account page's title
            r"Guest|tests|system",
            r"name, unit, email, phone",
            r".*\b(?:" + "|".join(DATA) + r")\b.*",
            r"[\d\s:.,/·–—()+-]*(?:AM|PM|a\.m\.|p\.m\.)?",  # times, dates and counts
            r"API",
            r"Correios|Mercado Livre|Amazon|DHL|FedEx|UPS|Envelope",
            r"ABC-1234|[A-Z]-\d+|B-302|C-101",
            r"gh_\w+…?",
            r"Total|Status|Token|Email|E-mail|Local|No|Normal|Plan|Unidad|Visitante|Visitantes|Residente",
            # webhooks: the product word, event codes, addresses, message ids, the sender's technical log
            r"Webhooks(?: · Gatehouse)?|[a-z_]+\.[a-z_]+|https?://\S*|msg_[0-9a-f]+",
            r"(?:unreachable|refused|answered):? .*",
        ]
    )
)


def _pages():
    for row in MATRIX:
        if row.method != "GET" or row.template.startswith(SKIPPED_PREFIXES) or row.template.endswith(DOWNLOADS):
            continue
        for role in PAGE_ROLES:
            if row.expected[role] == 200:
                yield row, role


async def _read(person, url: str, language: str, fragment: bool) -> str:
    headers = {"accept-language": ACCEPT[language]}
    if fragment:
        headers["hx-request"] = "true"
    response = await person.client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.text


@pytest.mark.parametrize("language", TRANSLATED)
async def test_every_page_and_fragment_speaks_the_language(people, language):  # noqa: F811
    people, ids, _ = people
    pages = list(_pages())
    assert len(pages) >= 20, "the matrix lost its pages"
    left, unchanged = [], []
    for row, role in pages:
        url = _url(row, ids)
        for fragment in (False, True):
            english = await _read(people[role], url, "en", fragment)
            translated = await _read(people[role], url, language, fragment)
            if "<html" in translated:
                assert '<html lang="' + language.replace("_", "-") + '"' in translated, url
            left += [f"{url} as {role}: {item}" for item in english_left(translated, language, DATA)]
            unchanged += [
                f"{url} as {role}: {text!r}" for text in unchanged_texts(english, translated, SAME_IN_EVERY_LANGUAGE)
            ]
    assert not left, "English left where a translation exists:\n" + "\n".join(sorted(set(left)))
    assert not unchanged, "Reads the same in English (not marked for translation?):\n" + "\n".join(
        sorted(set(unchanged))
    )
