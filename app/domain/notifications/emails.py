"""A notice as an email: plain text and HTML, in the reader's language (the caller speaks it), every link
absolute (PUBLIC_URL + the site path) and everything from people escaped."""

from __future__ import annotations

from markupsafe import Markup

from app.domain.notifications.channels import Channels
from app.domain.notifications.schemas import Notice
from app.lib import i18n
from app.lib.i18n import _

SETTINGS_PATH = "/me/notifications"


def compose(notice: Notice, site: Channels) -> dict[str, str]:
    links = [(action.title, site.absolute(action.url)) for action in notice.actions]
    links.append((_("Open Gatehouse"), site.absolute(notice.url)))
    settings_url = site.absolute(SETTINGS_PATH)
    why = _("You receive this because email notices are on for your Gatehouse account.")
    turn_off = _("Turn them off")
    text = "\n".join(
        [notice.body, "", *(f"{title}: {url}" for title, url in links), "", "-- ", why, f"{turn_off}: {settings_url}"]
    )
    buttons = Markup("").join(Markup('<p><a href="{}">{}</a></p>\n').format(url, title) for title, url in links)
    html = Markup(
        '<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>\n'
        "<body>\n<h1>{title}</h1>\n<p>{body}</p>\n{buttons}<hr>\n<p><small>{why} "
        '<a href="{settings}">{turn_off}</a></small></p>\n</body></html>\n'
    ).format(
        lang=i18n.html_lang(),
        title=notice.title,
        body=notice.body,
        buttons=buttons,
        why=why,
        settings=settings_url,
        turn_off=turn_off,
    )
    return {
        "title": notice.title,
        "subject": notice.title,
        "text": text,
        "html": str(html),
        "language": i18n.html_lang(),
    }
