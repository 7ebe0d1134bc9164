"""Choosing a language from Accept-Language, and plural forms in each language (catalogs written by the test)."""

from __future__ import annotations

import pytest

from app.lib import i18n
from app.lib.errors import FieldErrors, Invalid
from tests.catalogs import fresh_catalogs, use_catalogs  # noqa: F401 - a fixture

PEOPLE = {
    "%(num)s person": {
        "plural": "%(num)s people",
        # [one, many (millions), other]: the three forms of the shipped catalogs' Plural-Forms
        "pt_BR": ["%(num)s pessoa", "%(num)s de pessoas", "%(num)s pessoas"],
        "es": ["%(num)s persona", "%(num)s de personas", "%(num)s personas"],
    },
    "%(num)s field is invalid: %(fields)s": {
        "plural": "%(num)s fields are invalid: %(fields)s",
        "pt_BR": ["%(num)s campo inválido: %(fields)s"] + ["%(num)s campos inválidos: %(fields)s"] * 2,
        "es": ["%(num)s campo no válido: %(fields)s"] + ["%(num)s campos no válidos: %(fields)s"] * 2,
    },
    "is required and cannot be blank": {
        "pt_BR": "é obrigatório e não pode ficar em branco",
        "es": "es obligatorio y no puede quedar vacío",
    },
}


@pytest.fixture
def catalogs(monkeypatch, tmp_path, fresh_catalogs):  # noqa: F811 - the fixture imported above
    use_catalogs(monkeypatch, tmp_path, PEOPLE)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("pt-BR", "pt_BR"),
        ("pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7", "pt_BR"),
        ("pt", "pt_BR"),  # the language without its country: the Portuguese we speak
        ("pt-PT", "pt_BR"),
        ("PT_br", "pt_BR"),
        ("es", "es"),
        ("es-CO;q=0.9", "es"),
        ("es-MX, en;q=0.5", "es"),
        ("en;q=0.1, es;q=0.9", "es"),  # q-values decide, not the order
        ("en;q=0.5, es;q=0.5", "en"),  # equal q-values: the order decides
        ("fr-FR, de;q=0.8, es;q=0.2", "es"),  # languages we do not speak are passed over
        ("fr-FR, de;q=0.8", None),
        ("es;q=0, pt", "pt_BR"),  # q=0 means "not this one"
        ("es;q=0", None),
        ("es;q=abc, en", "en"),  # an unreadable q-value counts as 0
        ("  es  ;  q=0.8 ", "es"),
        ("en-GB", "en"),
        ("*", None),
        ("", None),
        (None, None),
        (",,; ;q=1,", None),
        ("x" * 5000, None),
        (", ".join(["fr"] * 20 + ["es"]), None),  # only the first 20 entries are read
    ],
)
def test_from_accept_language(header, language):
    assert i18n.from_accept_language(header) == language


@pytest.mark.parametrize(
    ("code", "language"),
    [("pt-br", "pt_BR"), ("pt_BR", "pt_BR"), ("pt", "pt_BR"), ("es-419", "es"), ("en_GB", "en"), ("de", None)],
)
def test_supported(code, language):
    assert i18n.supported(code) == language


@pytest.mark.parametrize("code", ["", None, "  ", "-", "_"])
def test_supported_is_none_for_nothing(code):
    assert i18n.supported(code) is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", {1: "1 person", 2: "2 people", 5: "5 people", 0: "0 people"}),
        ("pt_BR", {1: "1 pessoa", 2: "2 pessoas", 5: "5 pessoas", 0: "0 pessoa", 1_000_000: "1000000 de pessoas"}),
        ("es", {1: "1 persona", 2: "2 personas", 5: "5 personas", 0: "0 personas", 1_000_000: "1000000 de personas"}),
    ],
)
def test_ngettext_picks_each_languages_plural_form(catalogs, language, expected):
    i18n.use_language(language)
    for num, text in expected.items():
        assert i18n.ngettext("%(num)s person", "%(num)s people", num) == text


def test_field_errors_speak_the_current_language_and_count_in_it(catalogs):
    i18n.use_language("pt_BR")
    errors = FieldErrors()
    errors.required("visitorName", "  ", 120)
    errors.required("unit", "", 40)
    with pytest.raises(Invalid) as raised:
        errors.raise_if_any()
    assert raised.value.errors == {
        "visitorName": "é obrigatório e não pode ficar em branco",
        "unit": "é obrigatório e não pode ficar em branco",
    }
    assert raised.value.detail == "2 campos inválidos: visitorName, unit"
    assert raised.value.title == "Invalid data"  # not in this test's catalog: English, never an error
    i18n.use_language("en")
    assert Invalid({"a": "x", "b": "y"}).detail == "2 fields are invalid: a, b"


def test_an_unknown_language_reads_the_sites(catalogs):
    i18n.configure("es")  # fresh_catalogs puts the site's language back
    assert i18n.use_language("fr") == "es"
    assert i18n.ngettext("%(num)s person", "%(num)s people", 2) == "2 personas"
    assert i18n.use_language(None) == "es"


def test_the_delivery_subject_follows_the_catalogs_in_use(monkeypatch, tmp_path, fresh_catalogs):  # noqa: F811
    """Words read from catalogs are not kept past them: a test's small catalogs once left "Entrega" unknown as a
    delivery to every later test of the same process."""
    from app.domain.permissions.service import is_delivery

    use_catalogs(monkeypatch, tmp_path, {"Delivery": {"pt_BR": "Encomenda", "es": "Paquete"}})
    assert is_delivery("Paquete") and not is_delivery("Entrega")
    monkeypatch.undo()
    i18n.translations.cache_clear()
    assert is_delivery("Entrega") and is_delivery("Delivery") and not is_delivery("Paquete")
