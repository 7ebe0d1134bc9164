"""The webhook form -> the WebhookInput the services take."""

from __future__ import annotations

from app.domain.webhooks.schemas import WebhookInput
from app.web.forms import Form


def webhook_input(form: Form) -> WebhookInput:
    return WebhookInput(
        url=form.text("url"), events=form.lists.get("events", []), description=form.optional("description")
    )


def shown_again(form: Form) -> dict:
    return {"url": form.text("url"), "description": form.text("description"), "events": form.lists.get("events", [])}
