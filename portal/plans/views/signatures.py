"""Signatures under an approved version: recording one (with an optional
scan of the signed page, at most 10 MB, checked by content) and opening a
stored scan."""
from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from ...auth.access import role_required
from ...core.errors import DataError, DomainError, VersionConflict
from ...extensions import db
from ...web import render as _render
from ...web import today as _today
from .. import access, bp
from ..forms import SignatureForm, show_date
from ..models import SIGNER_ROLES, Signature
from ..scans import MAX_SCAN_BYTES, allow_scan_upload, commit_with_scan, scan_dir, scan_response
from ..services import default_signer, note_access, record_signature
from .common import day, field_error, message
from .plans import after_action, detail_page, load_plan, version_or_404


def _signature_page(plan, version, form, status=200):
    return _render("plans/signature.html", status, plan=plan, version=version, form=form,
                   max_mb=MAX_SCAN_BYTES // (1024 * 1024))


def _signature_form(plan, version, formdata=True):
    form = SignatureForm() if formdata else SignatureForm(formdata=None)
    form.version.data = form.version.data or str(plan.version)
    return form


@bp.route("/<int:plan_id>/versions/<int:number>/sign", methods=["GET", "POST"])
@role_required(*access.CASE_ROLES)
def sign(plan_id, number):
    plan = load_plan(plan_id, work=True)
    version = version_or_404(plan, number)
    if version.status not in ("approved", "signed"):
        return detail_page(plan, 409, shown=version, notice=_(
            "Podpisy zapisuje się pod zatwierdzoną, obowiązującą wersją planu."))
    if request.method == "GET":
        form = _signature_form(plan, version, formdata=False)
        missing = [r for r in SIGNER_ROLES if not version.signed_by(r)]
        role = request.args.get("role")
        form.signer_role.data = role if role in missing else (missing[0] if missing else None)
        if form.signer_role.data:
            form.signer_name.data = default_signer(plan, version, form.signer_role.data, current_user)
        form.signed_on.data = show_date(_today())
        return _signature_page(plan, version, form)

    upload = request.files.get("scan")
    form = _signature_form(plan, version)
    if not form.validate():
        return _signature_page(plan, version, form, 422)
    scan = upload.read(MAX_SCAN_BYTES + 1) if upload and upload.filename else None
    directory = _scan_dir()

    def conflict(_error):
        current = load_plan(plan_id, work=True)
        form.version.data = str(current.version)
        form.signer_role.errors = list(form.signer_role.errors) + [_(
            "Ktoś inny zapisał w międzyczasie zmiany w tym planie. Sprawdź podpisy poniżej i zapisz ponownie.")]
        return _signature_page(current, version_or_404(current, number), form, 409)

    def invalid(error):
        field_error(form, error)
        return _signature_page(load_plan(plan_id, work=True), version, form, 422)

    answer = commit_with_scan(
        lambda: (record_signature(
            db.session, plan, version,
            {"signer_role": form.signer_role.data, "signer_name": form.signer_name.data,
             "signed_on": day(form.signed_on.data, None)},
            actor=current_user, expected_version=form.version.data, today=_today(), scan=scan,
            directory=directory)[1], None),
        directory, {(VersionConflict, StaleDataError): conflict, DataError: invalid,
                    DomainError: lambda error: detail_page(load_plan(plan_id), 409, notice=message(error))})
    if answer is not None:
        return answer
    return after_action(plan_id, _("Zapisano podpis."))


allow_scan_upload(bp, "plans.sign")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A body too big to read: the signature form comes back with the
    message at the file (what was typed cannot be read, so it starts again)."""
    args = request.view_args or {}
    if request.endpoint != "plans.sign" or not current_user.is_authenticated:
        return render_template("errors/error.html", status=413), 413
    plan = load_plan(args.get("plan_id"), work=True)
    version = version_or_404(plan, args.get("number"))
    form = _signature_form(plan, version, formdata=False)
    form.signed_on.data = show_date(_today())
    form.scan.errors = [_("Plik jest za duży: skan może mieć najwyżej 10 MB.")]
    return _signature_page(plan, version, form, 413)


def _scan_dir():
    return current_app.config.get("PLAN_SCAN_DIR") or scan_dir(current_app.instance_path)


@bp.route("/signatures/<int:signature_id>/scan")
@role_required(*access.PLAN_ROLES)
def signature_scan(signature_id):
    signature = db.session.get(Signature, signature_id)
    if signature is None or not signature.scan_file:
        abort(404)
    plan = load_plan(signature.plan_version.plan_id, files=True)
    return scan_response(_scan_dir(), signature.scan_file, f"podpis-{signature.id}", lambda: note_access(
        db.session, plan, "export", actor=current_user, what=f"scan of signature {signature.id}"))

