"""Problem messages follow Accept-Language; field names, codes and values never change with it.

The catalogs here are written by the test (tests/catalogs.py), so these tests check the machinery, not the
shipped translations.
"""

from __future__ import annotations

import pytest

from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.lib import i18n
from app.lib.actors import SYSTEM
from app.settings import MAX_BODY_BYTES
from tests.catalogs import fresh_catalogs, use_catalogs  # noqa: F401 - a fixture
from tests.factory import visit_body

CATALOG = {
    "Invalid data": {"pt_BR": "Dados inválidos", "es": "Datos no válidos"},
    "is required and cannot be blank": {
        "pt_BR": "é obrigatório e não pode ficar em branco",
        "es": "es obligatorio y no puede quedar vacío",
    },
    "must be at most %(limit)s characters": {
        "pt_BR": "deve ter no máximo %(limit)s caracteres",
        "es": "debe tener como máximo %(limit)s caracteres",
    },
    "%(num)s field is invalid: %(fields)s": {
        "plural": "%(num)s fields are invalid: %(fields)s",
        "pt_BR": ["%(num)s campo inválido: %(fields)s"] + ["%(num)s campos inválidos: %(fields)s"] * 2,
        "es": ["%(num)s campo no válido: %(fields)s"] + ["%(num)s campos no válidos: %(fields)s"] * 2,
    },
    "must be a whole number": {"pt_BR": "deve ser um número inteiro", "es": "debe ser un número entero"},
    "Unauthorized": {"pt_BR": "Não autorizado", "es": "No autorizado"},
    "Send an API token as `Authorization: Bearer <token>`.": {
        "pt_BR": "Envie um token de API como `Authorization: Bearer <token>`.",
        "es": "Envíe un token de API como `Authorization: Bearer <token>`.",
    },
    "Not found": {"pt_BR": "Não encontrado", "es": "No encontrado"},
    "There is nothing at this address.": {
        "pt_BR": "Não há nada neste endereço.",
        "es": "No hay nada en esta dirección.",
    },
    "Method not allowed": {"pt_BR": "Método não permitido", "es": "Método no permitido"},
    "Request entity too large": {"pt_BR": "Conteúdo grande demais", "es": "Contenido demasiado grande"},
    "The request body is larger than the %(kib)s KiB this server accepts.": {
        "pt_BR": "O corpo da requisição passa dos %(kib)s KiB que este servidor aceita.",
        "es": "El cuerpo de la solicitud supera los %(kib)s KiB que acepta este servidor.",
    },
    "Forbidden": {"pt_BR": "Proibido", "es": "Prohibido"},
    "Only administrators may delete visits.": {
        "pt_BR": "Só administradores podem excluir visitas.",
        "es": "Solo los administradores pueden eliminar visitas.",
    },
    "On the do-not-admit list": {"pt_BR": "Na lista de entrada proibida", "es": "En la lista de ingreso prohibido"},
}

# Accept-Language as clients send it, and the catalog it picks (None: English, the site's language here)
LANGUAGES = [
    ("pt-BR", "pt_BR"),
    ("es", "es"),
    ("es-CO;q=0.9", "es"),
    ("fr-FR, de;q=0.8", None),
    (None, None),
]


def say(msgid: str, language: str | None) -> str:
    return CATALOG[msgid][language] if language else msgid


def headers_for(accept_language: str | None, caller=None) -> dict[str, str]:
    headers = dict(caller.headers) if caller else {}
    if accept_language is not None:
        headers["Accept-Language"] = accept_language
    return headers


@pytest.fixture
def catalogs(monkeypatch, tmp_path, fresh_catalogs):  # noqa: F811 - the fixture imported above
    use_catalogs(monkeypatch, tmp_path, CATALOG)


@pytest.mark.parametrize(("accept_language", "language"), LANGUAGES)
async def test_field_errors_keep_their_names_and_translate_their_messages(
    catalogs, client, guard, resident, accept_language, language
):
    body = visit_body(resident.id, visitorName=" ", subject="x" * 201)
    response = await client.post("/api/visits", json=body, headers=headers_for(accept_language, guard))
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "about:blank" and problem["status"] == 400
    assert problem["title"] == say("Invalid data", language)
    blank = say("is required and cannot be blank", language)
    too_long = say("must be at most %(limit)s characters", language) % {"limit": 200}
    assert problem["errors"] == [
        {"field": "visitorName", "message": blank},
        {"field": "subject", "message": too_long},
    ]
    summary = {"pt_BR": "2 campos inválidos", "es": "2 campos no válidos", None: "2 fields are invalid"}[language]
    assert problem["detail"] == f"{summary}: visitorName, subject"


@pytest.mark.parametrize(("accept_language", "language"), LANGUAGES)
async def test_a_body_of_the_wrong_type_is_a_plain_field_message(
    catalogs, client, guard, resident, accept_language, language
):
    body = visit_body(resident.id, totalPeople="2")
    response = await client.post("/api/visits", json=body, headers=headers_for(accept_language, guard))
    problem = response.json()
    assert response.status_code == 400 and problem["title"] == say("Invalid data", language)
    assert problem["errors"] == [{"field": "totalPeople", "message": say("must be a whole number", language)}]


@pytest.mark.parametrize(("accept_language", "language"), LANGUAGES)
async def test_no_token_is_a_401_in_the_callers_language(catalogs, client, accept_language, language):
    response = await client.get("/api/visits", headers=headers_for(accept_language))
    problem = response.json()
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
    assert problem["title"] == say("Unauthorized", language)
    assert problem["detail"] == say("Send an API token as `Authorization: Bearer <token>`.", language)


@pytest.mark.parametrize(("accept_language", "language"), LANGUAGES)
async def test_problems_raised_before_the_token_is_read_speak_the_callers_language_too(
    catalogs, client, guard, accept_language, language
):
    """No route matched (404), or the address does not take the method (405): the API's guard never ran."""
    not_found = await client.get("/api/no-such-thing", headers=headers_for(accept_language))
    assert not_found.status_code == 404
    assert not_found.json()["title"] == say("Not found", language)
    assert not_found.json()["detail"] == say("There is nothing at this address.", language)

    wrong_method = await client.patch("/api/visits", headers=headers_for(accept_language, guard))
    assert wrong_method.status_code == 405
    assert wrong_method.json()["title"] == say("Method not allowed", language)

    too_large = await client.post(
        "/api/visits",
        content=b"[" + b"1," * (MAX_BODY_BYTES // 2) + b"1]",
        headers={**headers_for(accept_language, guard), "Content-Type": "application/json"},
    )
    assert too_large.status_code == 413
    detail = say("The request body is larger than the %(kib)s KiB this server accepts.", language)
    assert too_large.json()["title"] == say("Request entity too large", language)
    assert too_large.json()["detail"] == detail % {"kib": MAX_BODY_BYTES // 1024}


@pytest.mark.parametrize(("accept_language", "language"), LANGUAGES)
async def test_a_refused_check_in_is_a_409_whose_words_translate_and_whose_data_does_not(
    catalogs, client, guard, resident, accept_language, language
):
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Threatened the staff", license_plate="KZT-4R21"))
    body = visit_body(resident.id, licensePlate="kzt 4r21")
    response = await client.post("/api/visits", json=body, headers=headers_for(accept_language, guard))
    problem = response.json()
    assert response.status_code == 409 and problem["status"] == 409
    assert problem["title"] == say("On the do-not-admit list", language)
    assert "Threatened the staff" in problem["detail"]  # the entry's reason is data: never translated
    [entry] = problem["doNotAdmit"]
    assert entry["reason"] == "Threatened the staff" and entry["licensePlate"] == "KZT-4R21"
    assert {"id", "name", "licensePlate", "reason", "expiresAt"} <= entry.keys()


@pytest.mark.parametrize(("accept_language", "language"), LANGUAGES)
async def test_a_refused_role_reads_a_whole_sentence(catalogs, client, guard, factory, accept_language, language):
    visit = await factory.visit((await factory.resident()).id)
    response = await client.delete(f"/api/visits/{visit.id}", headers=headers_for(accept_language, guard))
    assert response.status_code == 403
    assert response.json()["title"] == say("Forbidden", language)
    assert response.json()["detail"] == say("Only administrators may delete visits.", language)


async def test_an_unknown_language_falls_back_to_the_sites_language(catalogs, client):
    i18n.configure("es")  # SITE_LANGUAGE=es; fresh_catalogs puts the site's language back
    response = await client.get("/api/visits", headers={"Accept-Language": "fr-FR, de;q=0.8"})
    assert response.json()["title"] == "No autorizado"
    response = await client.get("/api/visits", headers={"Accept-Language": "en-GB"})
    assert response.json()["title"] == "Unauthorized"


async def test_a_successful_answer_is_the_same_data_in_every_language(catalogs, client, guard, resident):
    await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)
    english = await client.get("/api/visits", headers=guard.headers)
    for accept_language in ("pt-BR", "es-CO;q=0.9"):
        translated = await client.get("/api/visits", headers=headers_for(accept_language, guard))
        assert translated.status_code == 200 and translated.json() == english.json()
