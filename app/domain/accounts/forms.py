"""The account and API token forms -> the AccountInput and TokenInput the services take."""

from __future__ import annotations

from app.domain.accounts.schemas import AccountInput, TokenInput
from app.web.forms import Form


def account_input(form: Form) -> AccountInput:
    """The resident picker only counts for a resident account (it may keep a stale choice otherwise)."""
    role = form.text("role")
    return AccountInput(
        email=form.text("email"),
        role=role,
        password=form.text("password"),
        resident_id=form.uuid("residentId") if role == "resident" else None,
    )


def token_input(form: Form) -> TokenInput:
    return TokenInput(email=form.text("email"), name=form.text("name"))
