"""Pages of the contracts (issue 15 §2): the list with filters and alerts, a
contract with its figures, its form, amendments, termination (confirmed)
and the signed scan. The services organiser and the director, both may
edit. No person is named on these pages: counts and sums only."""
import os

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import submissions
from ..auth.access import role_required
from ..catalogue.models import Provider, Service
from ..confirm import confirmed
from ..core.errors import DataError, TransitionError, VersionConflict, version_number
from ..core.views import ACTION_CONFLICT_NOTE, commit, field_error, found, get_or_404, saved
from ..extensions import db
from ..i18n import format_date_numeric, format_money, unit_quantity
from ..plans.scans import MAX_SCAN_BYTES, allow_scan_upload, commit_with_scan, scan_dir, scan_response
from ..web import render, today
from . import KEEPERS, bp
from . import services as contracts
from .figures import STATES, alerts, contract_figures
from .forms import CONTRACT_LABELS, AmendmentForm, ContractForm, ScanForm, TerminateForm
from .listing import FILTER_STATES, contracts_list
from .models import MODES, Contract

SUBMISSION_FORM = "contract"


def contracts_count(n):
    return ngettext("%(num)s umowa", "%(num)s umów", n)


def services_count(n):
    return ngettext("%(num)s usługa", "%(num)s usług", n)


def amendments_count(n):
    return ngettext("%(num)s aneks", "%(num)s aneksów", n)


@bp.context_processor
def _words():
    return {"contracts_count": contracts_count, "services_count": services_count,
            "amendments_count": amendments_count, "contract_alerts": alerts, "modes": MODES}


def _filter_states():
    return [("active", _("obowiązujące")), ("ending", _("kończące się w ciągu 60 dni")),
            ("used", _("z wolumenem wykorzystanym w co najmniej 90%")), ("ended", _("zakończone lub rozwiązane")),
            ("upcoming", _("jeszcze nieobowiązujące"))]


def _contract(contract_id):
    return get_or_404(Contract, contract_id)


# --- the list ------------------------------------------------------------------------

@bp.route("")
@role_required(*KEEPERS)
def index():
    args = request.args
    raw = args.get("provider", "")
    provider_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    mode = args.get("mode") if args.get("mode") in MODES else None
    state = args.get("state") if args.get("state") in FILTER_STATES else None
    rows = contracts_list(db.session, today(), provider_id=provider_id, mode=mode, state=state)
    total = sum((figures.contract.current_amount for figures in rows), start=0)
    provider_ids = {pid for (pid,) in db.session.execute(db.select(Contract.provider_id).distinct())}
    providers = [p for p in contracts.providers(db.session) if p.id in provider_ids] + [
        p for p in db.session.scalars(db.select(Provider).where(Provider.id.in_(provider_ids),
                                                                Provider.status != "active"))]
    return render("contracts/index.html", rows=rows, total=total, providers=providers, provider_id=provider_id,
                  mode=mode, state=state, filter_states=_filter_states())


# --- a contract ----------------------------------------------------------------------

def _detail_page(contract, status=200, scan_form=None, conflict=None, conflict_note=None, notice=None):
    figures = contract_figures(db.session, contract, today())
    scan_form = scan_form or ScanForm(formdata=None)
    scan_form.version.data = str(contract.version)
    return render("contracts/detail.html", status, contract=contract, figures=figures, scan_form=scan_form,
                  conflict=conflict, conflict_note=conflict_note, notice=notice,
                  max_mb=MAX_SCAN_BYTES // (1024 * 1024))


@bp.route("/<int:contract_id>")
@role_required(*KEEPERS)
def detail(contract_id):
    return _detail_page(_contract(contract_id))


# --- the form ------------------------------------------------------------------------

def _choices(form, contract=None):
    current_provider = contract.provider_id if contract else None
    current_services = [line.service_id for line in contract.lines] if contract else []
    form.set_choices(contracts.providers(db.session, current_provider),
                     contracts.services_of(db.session, current_ids=current_services))


def _form_page(form, contract=None, status=200, conflict=None, line_error=None):
    return render("contracts/form.html", status, form=form, contract=contract, conflict=conflict,
                  line_error=line_error)


def _invalid(form, contract_id=None):
    def invalid(error):
        contract = _contract(contract_id) if contract_id else None
        if error.field == "lines":
            return _form_page(form, contract, line_error=str(error.message))
        field_error(form, error, fallback="number")
        return _form_page(form, contract)
    return invalid


@bp.route("/new", methods=["GET", "POST"])
@role_required(*KEEPERS)
def new():
    """A new contract; a submission key makes a resend answer with the contract already made."""
    if request.method == "GET":
        form = ContractForm(formdata=None)
        form.submission.data = submissions.new_key()
        _choices(form)
        form.add_blank_rows()
        return _form_page(form)
    form = ContractForm()
    _choices(form)
    if not submissions.valid_key(form.submission.data):
        form.submission.data = submissions.new_key()
    earlier = submissions.find(db.session, form.submission.data, SUBMISSION_FORM)
    if earlier is not None:
        return _already_saved(earlier.object_id)
    if not form.validate():
        return _form_page(form, status=422)

    def change():
        created = contracts.create(db.session, form.to_data(), actor=current_user)
        submissions.claim(db.session, form.submission.data, SUBMISSION_FORM, created)
        return created

    return commit(change, invalid=_invalid(form),
                  refused={IntegrityError: lambda _error: _already_saved(None)},
                  done=lambda created: saved(url_for(".detail", contract_id=created.id), _("Zapisano umowę.")))


def _already_saved(contract_id):
    flash(_("Ten formularz został już wysłany."), "success")
    return redirect(url_for(".detail", contract_id=contract_id) if contract_id else url_for(".index"), code=303)


@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@role_required(*KEEPERS)
def edit(contract_id):
    contract = found(_contract(contract_id), lambda c: c.status != "terminated")
    if request.method == "GET":
        form = ContractForm(formdata=None)
        form.fill(contracts.contract_data(contract))
        form.version.data = str(contract.version)
        _choices(form, contract)
        form.add_blank_rows()
        return _form_page(form, contract)
    form = ContractForm()
    _choices(form, contract)
    if not form.validate():
        return _form_page(form, contract, status=422)
    data = form.to_data()
    return commit(
        lambda: contracts.update(db.session, contract, data, actor=current_user,
                                 expected_version=version_number(form.version.data)),
        invalid=_invalid(form, contract_id),
        conflict=lambda error: _conflict(form, contract_id, data),
        refused={TransitionError: lambda error: _detail_page(_contract(contract_id), status=409,
                                                             notice=str(error.message))},
        done=lambda _result: saved(url_for(".detail", contract_id=contract_id), _("Zapisano zmiany.")))


def _shown(key, value):
    if value is None or value == "":
        return None
    if key == "provider_id":
        provider = db.session.get(Provider, value)
        return provider.name if provider else None
    if key == "mode":
        return MODES.get(value, value)
    if key == "amount":
        return format_money(value)
    if key == "lines":
        names = []
        for service_id, volume, amount in map(contracts.line_of, value):
            service = db.session.get(Service, service_id)
            if service is not None:
                names.append(f"{service.name}: {unit_quantity(volume, service.unit)}"
                             + (f", {format_money(amount)}" if amount is not None else ""))
        return "; ".join(names)
    if hasattr(value, "isoformat"):
        return format_date_numeric(value)
    return value


def _conflict(form, contract_id, data):
    db.session.expire_all()
    contract = _contract(contract_id)
    labels = dict(CONTRACT_LABELS)
    rows = [(labels.get(key, key), _shown(key, theirs), _shown(key, yours))
            for key, theirs, yours in contracts.conflicts(contract, data)]
    # Saving the form again now overwrites, knowingly: the differences are on screen.
    form.version.data = str(contract.version)
    return _form_page(form, contract, conflict=rows)


# --- amendments ----------------------------------------------------------------------

def _amendment_page(form, contract, status=200, conflict=None):
    return render("contracts/amendment.html", status, form=form, contract=contract, conflict=conflict,
                  volumes=contract.current_volumes())


@bp.route("/<int:contract_id>/amendments/new", methods=["GET", "POST"])
@role_required(*KEEPERS)
def amendment_new(contract_id):
    contract = found(_contract(contract_id), lambda c: c.status != "terminated")
    services = [line.service for line in contract.lines]
    if request.method == "GET":
        form = AmendmentForm.for_services(services, formdata=None)
        form.version.data = str(contract.version)
        return _amendment_page(form, contract)
    form = AmendmentForm.for_services(services)
    if not form.validate():
        return _amendment_page(form, contract, 422)

    def conflict(error):
        db.session.expire_all()
        current = _contract(contract_id)
        form.version.data = str(current.version)
        return _amendment_page(form, current, conflict=[])

    return commit(
        lambda: contracts.add_amendment(db.session, contract, form.to_data(), actor=current_user,
                                        expected_version=version_number(form.version.data)),
        form=form, fallback="ends_on",
        invalid=lambda error: _amendment_page(form, _contract(contract_id)),
        conflict=conflict,
        refused={TransitionError: lambda error: _detail_page(_contract(contract_id), status=409,
                                                             notice=str(error.message))},
        done=lambda _result: saved(url_for(".detail", contract_id=contract_id), _("Zapisano aneks.")))


# --- termination (irreversible) --------------------------------------------------------

def _terminate_page(contract, form, status=200):
    return render("contracts/terminate.html", status, contract=contract, form=form)


@bp.route("/<int:contract_id>/terminate", methods=["POST"])
@role_required(*KEEPERS)
def terminate(contract_id):
    contract = _contract(contract_id)
    form = TerminateForm()
    if not form.version.data:
        form.version.data = request.form.get("version") or str(contract.version)
    if not confirmed():
        form.terminated_on.errors, form.reason.errors = [], []
        if not request.form.get("terminated_on"):
            form.terminated_on.data = min(today(), contract.current_end)
        return _terminate_page(contract, form)
    if not form.validate():
        return _terminate_page(contract, form, 422)

    def conflict(error):
        db.session.expire_all()
        current = _contract(contract_id)
        return _detail_page(current, conflict=[(_("Status"), STATES.get(
            "terminated" if current.status == "terminated" else "active"), STATES["terminated"])],
            conflict_note=ACTION_CONFLICT_NOTE)

    return commit(
        lambda: contracts.terminate(db.session, contract, {"terminated_on": form.terminated_on.data,
                                                           "reason": form.reason.data},
                                    actor=current_user, expected_version=version_number(form.version.data)),
        form=form, fallback="reason",
        invalid=lambda error: _terminate_page(_contract(contract_id), form),
        conflict=conflict,
        done=lambda changed: saved(url_for(".detail", contract_id=contract_id),
                                   _("Umowa jest rozwiązana.") if changed else None))


# --- the signed scan --------------------------------------------------------------------

def _scan_dir():
    return current_app.config.get("CONTRACT_SCAN_DIR") or os.path.join(scan_dir(current_app.instance_path),
                                                                        "contracts")


allow_scan_upload(bp, "contracts.scan_upload")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    contract_id = (request.view_args or {}).get("contract_id")
    if request.endpoint != "contracts.scan_upload" or not current_user.is_authenticated or contract_id is None:
        return render("errors/error.html", 413, status=413)
    scan_form = ScanForm(formdata=None)
    scan_form.scan.errors = [_("Plik jest za duży: skan może mieć najwyżej 10 MB.")]
    return _detail_page(_contract(contract_id), status=413, scan_form=scan_form)


@bp.route("/<int:contract_id>/scan", methods=["POST"])
@role_required(*KEEPERS)
def scan_upload(contract_id):
    contract = _contract(contract_id)
    scan_form = ScanForm()
    if not scan_form.validate():
        return _detail_page(contract, status=422, scan_form=scan_form)
    upload = request.files.get("scan")
    data = upload.read(MAX_SCAN_BYTES + 1) if upload and upload.filename else None
    directory = _scan_dir()

    def refused(status, message, **conflict):
        scan_form.scan.errors = [message]
        return _detail_page(_contract(contract_id), status=status, scan_form=scan_form, **conflict)

    answer = commit_with_scan(
        lambda: contracts.attach_scan(db.session, contract, data, actor=current_user, directory=directory,
                                      expected_version=version_number(scan_form.version.data)),
        directory, {
            (VersionConflict, StaleDataError): lambda _error: refused(
                409, _("Ktoś inny zmienił tę umowę po otwarciu tej strony. Sprawdź ją i dołącz skan ponownie."),
                conflict=[], conflict_note=ACTION_CONFLICT_NOTE),
            DataError: lambda error: refused(422, str(error.message)),
        })
    if answer is not None:
        return answer
    return saved(url_for(".detail", contract_id=contract_id), _("Dołączono skan podpisanej umowy."))


@bp.route("/<int:contract_id>/scan")
@role_required(*KEEPERS)
def scan(contract_id):
    contract = _contract(contract_id)
    return scan_response(_scan_dir(), contract.scan_file, f"umowa-{contract.id}",
                         lambda: contracts.note_scan_opened(db.session, contract, actor=current_user))
