"""The yearly documents (issue 14 §3): the yearly report to the council
(sprawozdanie z działalności centrum) and the information on the programme's
realisation (informacja o realizacji programu usług społecznych), both due by
31 January for the year before and published on the BIP.

A document is assembled when it is read: the year's tables of the registered
reports (exports.REGISTERED, each built for the whole year), in the order its
kind names them, after the narrative sections the director writes. Only the
narrative is stored (`YearlyDocument`, one per year and kind, under the
optimistic lock). It is exported as PDF (portal/pdf.py) and as DOCX
(python-docx) for the office to edit further. Like every report it holds
counts, never a person.
"""
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.services import record
from ..auth.models import Role
from ..core.errors import DataError, NotAllowed, VersionConflict, check_version, version_given
from ..core.models import Created, Updated, Versioned
from ..extensions import db
from . import periods
from .exports import REGISTERED
from .tables import number_text

SECTION_MAX = 20_000
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Kind:
    code: str
    title: object  # lazy text with %(year)s
    short: object
    sections: tuple  # ((key, lazy heading, lazy hint), ...)
    reports: tuple  # the registered reports' names, in the document's order


KINDS = {kind.code: kind for kind in (
    Kind("report", _l("Sprawozdanie z działalności Centrum Usług Społecznych za rok %(year)s"),
         _l("Sprawozdanie z działalności"),
         (("introduction", _l("Wprowadzenie"),
           _l("Zadania centrum, zmiany w roku, zasoby (kadra, lokale).")),
          ("activity", _l("Działalność centrum w roku"),
           _l("Najważniejsze działania, nowe usługi, wydarzenia.")),
          ("cooperation", _l("Współpraca z realizatorami"),
           _l("Organizacje pozarządowe, podmioty ekonomii społecznej, zlecanie usług.")),
          ("conclusions", _l("Wnioski i kierunki działań na kolejny rok"),
           _l("Co się udało, co nie, co centrum zrobi w kolejnym roku."))),
         ("quarterly", "services", "matrix", "desk", "providers")),
    Kind("programme", _l("Informacja o realizacji Programu usług społecznych w roku %(year)s"),
         _l("Informacja o realizacji programu"),
         (("goals", _l("Cele programu"),
           _l("Cele i wskaźniki programu przyjętego uchwałą rady gminy.")),
          ("realisation", _l("Realizacja programu"),
           _l("Jak realizowano usługi programu i dlaczego niektóre wskaźniki odbiegają od celu.")),
          ("recommendations", _l("Ocena i rekomendacje"),
           _l("Ocena programu i propozycje zmian na kolejny rok."))),
         ("indicators", "services", "providers", "quarterly")),
)}
WRITERS = (Role.DIRECTOR,)


class YearlyDocument(Created, Updated, Versioned, db.Model):
    """The narrative sections of one year's document of one kind."""

    __tablename__ = "yearly_document"
    __table_args__ = (UniqueConstraint("year", "kind", name="uq_yearly_document_year_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))
    sections: Mapped[dict] = mapped_column(JSON, default=dict)


def valid_year(year, today):
    """A year whose document may be read: from 2000 to this one."""
    return FIRST_YEAR <= year <= today.year


def document_of(session, year, kind):
    return session.scalar(select(YearlyDocument).where(YearlyDocument.year == year, YearlyDocument.kind == kind))


def title_of(kind, year):
    return str(KINDS[kind].title) % {"year": year}


def tables_of(kind, year):
    """The year's tables of the kind's reports, in its order."""
    period = periods.year(year)
    tables = []
    for name in KINDS[kind].reports:
        _title, build, _kinds = REGISTERED[name]
        table = build(period)
        table.period_label = table.period_label or period.label
        tables.append(table)
    return tables


def _clean(text):
    text = (text or "").replace("\r\n", "\n").strip()
    return text or None


def save_sections(session, year, kind, texts, *, actor, expected_version):
    """Write the narrative sections ({key: text}); the document is made on
    the first save. Raises DataError at a section too long, VersionConflict
    when someone saved since the page was shown."""
    if actor.role not in WRITERS:
        raise NotAllowed()
    sections = {}
    for key, _heading, _hint in KINDS[kind].sections:
        text = _clean(texts.get(key))
        if text is not None and len(text) > SECTION_MAX:
            raise DataError(key, _l("Wpisz najwyżej %(max)s znaków.", max=number_text(SECTION_MAX)))
        if text is not None:
            sections[key] = text
    document = document_of(session, year, kind)
    if document is None:
        if version_given(expected_version):
            raise VersionConflict(None)
        document = YearlyDocument(year=year, kind=kind, sections=sections, created_by_id=actor.id,
                                  updated_by_id=actor.id)
        session.add(document)
        session.flush()
        record("create", document, actor=actor, summary=f"yearly document {kind} {year} written", session=session)
        return document
    check_version(document, expected_version, required=True)
    if document.sections != sections:
        document.sections = sections
        document.updated_by_id = actor.id
        session.flush()
        record("update", document, actor=actor, summary=f"yearly document {kind} {year} edited", session=session)
    return document


# --- DOCX ----------------------------------------------------------------------------------------

def to_docx(kind, year, sections, tables):
    """The document as DOCX: the title, the narrative sections, then each
    table with its notes (Polish number formats), for the office to edit."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(11)
    title = title_of(kind, year)
    document.core_properties.title = title
    document.core_properties.language = "pl-PL"
    document.add_heading(title, level=0)
    for key, heading, _hint in KINDS[kind].sections:
        document.add_heading(str(heading), level=1)
        text = sections.get(key)
        for paragraph in (text or _("(do uzupełnienia)")).split("\n\n"):
            document.add_paragraph(paragraph.strip())
    document.add_heading(_("Zestawienia liczbowe"), level=1)
    for table in tables:
        document.add_heading(f"{table.title}: {table.period_label}", level=2)
        if not table.rows:
            document.add_paragraph(table.empty or _("W tym okresie nie ma nic do policzenia."))
        else:
            grid = document.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
                cell.text = str(header)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in table.all_rows:
                cells = grid.add_row().cells
                cells[0].text = str(row.label)
                for cell, (column, value) in zip(cells[1:], table.cells(row), strict=True):
                    cell.text = number_text(value, column.places)
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for note in table.notes:
            document.add_paragraph(str(note)).runs[0].italic = True
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
