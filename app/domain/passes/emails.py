"""A pass as an email to the visitor: the code, the day(s), the unit and the pass page's link, in the language of
the resident who sends it; everything from people escaped."""

from __future__ import annotations

from markupsafe import Markup

from app.domain.passes.schemas import PublicPass
from app.lib import i18n
from app.lib.i18n import _


def compose(item: PublicPass, url: str) -> dict[str, str]:
    community = item.community_name or "Gatehouse"
    subject = _("Your visitor pass for %(community)s", community=community)
    lines = [
        _("Hello %(visitor)s,", visitor=item.visitor_name),
        _("You are expected at unit %(unit)s: %(when)s.", unit=item.unit, when=item.when),
        _("At the gate, show the QR code of your pass or tell the guard the code %(code)s.", code=item.code),
    ]
    if item.community_address:
        lines.append(item.community_address)
    open_pass = _("Open your pass")
    text = "\n\n".join([*lines, f"{open_pass}: {url}"])
    paragraphs = Markup("").join(Markup("<p>{}</p>\n").format(line) for line in lines)
    html = Markup(
        '<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{subject}</title></head>\n'
        '<body>\n<h1>{subject}</h1>\n{paragraphs}<p style="font-size:2em;letter-spacing:.1em"><b>{code}</b></p>\n'
        '<p><a href="{url}">{open_pass}</a></p>\n</body></html>\n'
    ).format(
        lang=i18n.html_lang(), subject=subject, paragraphs=paragraphs, code=item.code, url=url, open_pass=open_pass
    )
    return {"title": subject, "subject": subject, "text": text, "html": str(html), "language": i18n.html_lang()}
