"""The yearly documents' pages (portal/reports/yearly.py): the list, a
document with the director's narrative form, its PDF and its DOCX."""
from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..auth.access import role_required
from ..core.errors import NotAllowed
from ..core.forms import TextBlockField, max_length
from ..core.views import commit, saved
from ..extensions import db
from ..pdf import pdf_response, render_pdf
from ..timeutil import local_now
from . import bp, yearly
from .access import FULL_ROLES
from .tables import number_text

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
YEARS_LISTED = 5
_forms = {}


def _form_class(kind):
    """The narrative form of a kind: the version and a text box per section."""
    if kind not in _forms:
        fields = {"version": HiddenField()}
        for key, heading, hint in yearly.KINDS[kind].sections:
            fields[key] = TextBlockField(heading, description=hint, validators=[max_length(yearly.SECTION_MAX)],
                                         render_kw={"rows": 8})
        _forms[kind] = type(f"YearlyForm_{kind}", (FlaskForm,), fields)
    return _forms[kind]


def _document_or_404(year, kind):
    if kind not in yearly.KINDS or not yearly.valid_year(year, local_now().date()):
        abort(404)
    return yearly.document_of(db.session, year, kind)


def _may_write():
    return current_user.role in yearly.WRITERS


def _page(year, kind, document, *, form=None, conflict=None):
    if _may_write() and form is None:
        form = _form_class(kind)(formdata=None)
        if document is not None:
            form.version.data = str(document.version)
            for key, _heading, _hint in yearly.KINDS[kind].sections:
                form[key].data = document.sections.get(key)
    sections = document.sections if document is not None else {}
    return render_template(
        "reports/yearly.html", year=year, kind=yearly.KINDS[kind], title=yearly.title_of(kind, year),
        document=document, sections=sections, form=form, conflict=conflict,
        tables=yearly.tables_of(kind, year), number_text=number_text)


@bp.get("/yearly")
@role_required(*FULL_ROLES)
def yearly_index():
    this_year = local_now().year
    years = list(range(this_year, this_year - YEARS_LISTED, -1))
    written = {(d.year, d.kind): d for d in db.session.scalars(
        db.select(yearly.YearlyDocument).where(yearly.YearlyDocument.year.in_(years)))}
    return render_template("reports/yearly_index.html", years=years, kinds=yearly.KINDS.values(), written=written)


@bp.get("/yearly/<int:year>/<kind>")
@role_required(*FULL_ROLES)
def yearly_document(year, kind):
    return _page(year, kind, _document_or_404(year, kind))


@bp.post("/yearly/<int:year>/<kind>")
@role_required(*yearly.WRITERS)
def yearly_save(year, kind):
    document = _document_or_404(year, kind)
    form = _form_class(kind)()
    if not form.validate():
        return _page(year, kind, document, form=form), 422
    texts = {key: form[key].data for key, _heading, _hint in yearly.KINDS[kind].sections}

    def conflict(_error):
        current = yearly.document_of(db.session, year, kind)
        saved_sections = current.sections if current is not None else {}
        form.version.data = str(current.version) if current is not None else ""
        rows = [(heading, saved_sections.get(key), texts.get(key))
                for key, heading, _hint in yearly.KINDS[kind].sections]
        return _page(year, kind, current, form=form, conflict=rows)

    return commit(
        lambda: yearly.save_sections(db.session, year, kind, texts, actor=current_user,
                                     expected_version=form.version.data),
        form=form, invalid=lambda _error: _page(year, kind, document, form=form), conflict=conflict,
        refused={NotAllowed: lambda _error: abort(403)},
        done=lambda _document: saved(url_for(".yearly_document", year=year, kind=kind), _("Zapisano dokument.")))


def _file_name(kind, year, extension):
    stem = {"report": "sprawozdanie", "programme": "informacja-program"}[kind]
    return f"{stem}-{year}.{extension}"


@bp.get("/yearly/<int:year>/<kind>.pdf")
@role_required(*FULL_ROLES)
def yearly_pdf(year, kind):
    document = _document_or_404(year, kind)
    html = render_template("reports/yearly_pdf.html", year=year, kind=yearly.KINDS[kind],
                           title=yearly.title_of(kind, year), sections=document.sections if document else {},
                           tables=yearly.tables_of(kind, year), number_text=number_text)
    return pdf_response(render_pdf(html), _file_name(kind, year, "pdf"))


@bp.get("/yearly/<int:year>/<kind>.docx")
@role_required(*FULL_ROLES)
def yearly_docx(year, kind):
    document = _document_or_404(year, kind)
    body = yearly.to_docx(kind, year, document.sections if document else {}, yearly.tables_of(kind, year))
    return Response(body, mimetype=DOCX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(kind, year, "docx")}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

