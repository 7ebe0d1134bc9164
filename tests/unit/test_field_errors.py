"""A form's field error reads as a sentence naming the field, in each language."""

from __future__ import annotations

import pytest

from app.lib.i18n import _, speaking
from app.web.field_errors import field_sentence


def test_a_predicate_is_read_after_the_fields_label():
    with speaking("en"):
        assert field_sentence(_("is required and cannot be blank"), "Visitor name") == (
            "Visitor name is required and cannot be blank."
        )
        assert field_sentence("must be at most 120 characters", "Tracking numbers (optional)") == (
            "Tracking numbers must be at most 120 characters."
        )
        assert field_sentence("is required and cannot be blank") == "This field is required and cannot be blank."


def test_a_message_that_names_its_subject_is_a_sentence_of_its_own():
    with speaking("en"):
        assert field_sentence("choose the resident being visited", "Resident") == "Choose the resident being visited."
        assert field_sentence("Too many wrong codes.", "Pass") == "Too many wrong codes."


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pt_BR", "Nome do visitante é obrigatório e não pode ficar em branco."),
        ("es", "Nombre del visitante es obligatorio y no puede quedar vacío."),
    ],
)
def test_a_translated_predicate_is_recognised_by_its_english_message(language, expected):
    with speaking(language):
        label = _("Visitor name")
        assert field_sentence(_("is required and cannot be blank"), label) == expected
        chosen = field_sentence(_("choose the resident being visited"), _("Resident"))
        assert chosen[0].isupper() and label not in chosen and chosen.endswith(".")
