"""The answer to a complaint or a request, as a printed letter (PDF).

The letter names the centre, the case number, the place and date, the
addressee, the answer and the instruction the Code of Administrative
Procedure asks for (KPA art. 238 §1: the body, the reasons, the signer;
art. 239: a complaint found unjustified and repeated without new
circumstances may be left with a note in the file). Always in Polish: it
is a letter of a Polish public body.
"""
import re
from contextlib import nullcontext

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..i18n import format_date_long
from ..pdf import render_pdf

# The letter's first sentence, by kind and outcome (%(day)s: the day it was received).
OPENINGS = {
    ("complaint", "upheld"): _l("W odpowiedzi na skargę z dnia %(day)s uprzejmie informuję, że po jej "
                                "rozpatrzeniu skargę uznano za zasadną."),
    ("complaint", "rejected"): _l("W odpowiedzi na skargę z dnia %(day)s uprzejmie informuję, że po jej "
                                  "rozpatrzeniu skargę uznano za niezasadną."),
    ("complaint", "withdrawn"): _l("Potwierdzam, że skarga z dnia %(day)s została wycofana."),
    ("request", "upheld"): _l("W odpowiedzi na wniosek z dnia %(day)s uprzejmie informuję, że wniosek "
                              "został uwzględniony."),
    ("request", "rejected"): _l("W odpowiedzi na wniosek z dnia %(day)s uprzejmie informuję, że wniosek "
                                "nie został uwzględniony."),
    ("request", "withdrawn"): _l("Potwierdzam, że wniosek z dnia %(day)s został wycofany."),
}


def town_of(address):
    """The town of a postal address ("ul. Długa 35, 21-407 Wojcieszków" -> "Wojcieszków")."""
    match = re.search(r"\d{2}-\d{3}\s+(.+)$", address or "")
    return match.group(1).strip() if match else ""


def render_html(complaint):
    context = nullcontext() if has_request_context() else current_app.test_request_context("/")
    config = current_app.config
    with context, force_locale("pl"):
        opening = str(OPENINGS[complaint.kind, complaint.outcome]) % {"day": format_date_long(complaint.received_on)}
        return render_template(
            "pdf/complaint_letter.html", complaint=complaint, doc_number=complaint.number, opening=opening,
            centre={"name": config["CENTRE_NAME"], "address": config["CENTRE_ADDRESS"],
                    "municipality": config["MUNICIPALITY_NAME"], "town": town_of(config["CENTRE_ADDRESS"])},
        )


def render_pdf_bytes(complaint):
    return render_pdf(render_html(complaint))
