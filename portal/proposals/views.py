"""Proposals' pages: the provider's own (its services, its proposals, the
proposal form) and the services organiser's review queue with the side-by-side
page, accept (confirmed, 409 when the service moved since) and return.

Every view: load (404) -> check (another provider's service or proposal: 404,
as for one that does not exist) -> service -> commit()."""
from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import submissions
from ..auth.access import role_required
from ..catalogue.models import Area, Service, TargetGroup
from ..confirm import confirm_page, confirmed
from ..core.errors import TransitionError, version_number
from ..core.views import ACTION_CONFLICT_NOTE, ALREADY_SAVED_NOTE, answer, commit, found, saved
from ..extensions import db
from ..manage import presenters
from ..manage import services as catalogue
from . import PROVIDERS, REVIEWERS, bp
from . import services as proposals
from .forms import LABELS, ProposalForm, ReturnForm
from .mail import send_returned
from .models import STATES, Proposal

FORM = "proposal"


# --- helpers -----------------------------------------------------------------------

def _own(record):
    """The provider's own service or proposal; another provider's is a 404,
    as one that does not exist (its ids say nothing)."""
    return found(record if record is not None and proposals.is_own(current_user, record) else None)


def _set_choices(form):
    form.set_choices(areas=db.session.scalars(select(Area).order_by(Area.position)).all(),
                     groups=db.session.scalars(select(TargetGroup).order_by(TargetGroup.position)).all(),
                     places=catalogue.list_places())


def _form_of(data):
    form = ProposalForm(formdata=None, data=data)
    _set_choices(form)
    form.add_blank_rows()
    return form


def _posted_form():
    form = ProposalForm()
    _set_choices(form)
    return form


def rows(proposal):
    """The side-by-side table: (label, now, proposed, differs), in words."""
    table = []
    new = proposal.kind == "new"
    for key, current, proposed in proposals.comparison(proposal):
        # A new service: every field given is new (an unticked box or an empty one is not).
        differs = proposed not in (None, "", [], False) if new else current != proposed
        table.append((LABELS.get(key, key), presenters.shown_value(key, current),
                      presenters.shown_value(key, proposed), differs))
    return table


def _form_page(form, *, service=None, proposal=None, status=200, conflict=None):
    return render_template("proposals/form.html", form=form, service=service, proposal=proposal,
                           submission=request.form.get("submission") or submissions.new_key(),
                           conflict=conflict), status


TRANSITION_REFUSED = {TransitionError: lambda error: abort(409)}


def _service_moved(form, service_id, proposal):
    """The provider's conflict screen: the organiser saved the service while
    the provider filled in the form. The fields where the saved service
    differs from the form, the form as typed and now drawn over the service's
    new version, so sending it again proposes knowingly."""
    service = found(db.session.get(Service, service_id))
    data = form.to_data()
    table = [(LABELS.get(key, key), presenters.shown_value(key, theirs), presenters.shown_value(key, yours))
             for key, theirs, yours in catalogue.service_conflicts(service, proposals.merged(service, data))]
    form.base_version.data = str(service.version)
    return _form_page(form, service=service, proposal=proposal, conflict=table)


# --- the provider -------------------------------------------------------------------

@bp.route("/")
@role_required(*PROVIDERS)
def mine():
    provider_id = current_user.provider_id
    services = proposals.own_services(db.session, provider_id)
    items = proposals.provider_proposals(db.session, provider_id)
    open_by_service = {p.service_id: p for p in items if p.is_open and p.service_id}
    return render_template("proposals/mine.html", services=services, proposals=items,
                           open_by_service=open_by_service)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*PROVIDERS)
def new():
    if request.method == "GET":
        return _form_page(_form_of(catalogue.service_defaults()))
    form = _posted_form()
    key = request.form.get("submission")
    earlier = submissions.find(db.session, key, FORM)
    if earlier is not None and db.session.get(Proposal, earlier.object_id or 0) is not None:
        return saved(url_for(".detail", proposal_id=earlier.object_id), _("Ta propozycja jest już złożona."))
    if not form.validate():
        return _form_page(form, status=422)

    def propose():
        proposal = proposals.propose_new(db.session, form.to_data(), actor=current_user)
        if submissions.valid_key(key):
            submissions.claim(db.session, key, FORM, proposal)
        return proposal

    return commit(
        propose, form=form, invalid=lambda error: _form_page(form),
        refused={IntegrityError: lambda error: saved(url_for(".mine"), _("Ta propozycja jest już złożona."))},
        done=lambda proposal: saved(url_for(".detail", proposal_id=proposal.id),
                                    _("Propozycja została złożona. Organizator usług ją przejrzy.")))


@bp.route("/services/<int:service_id>/change", methods=["GET", "POST"])
@role_required(*PROVIDERS)
def change(service_id):
    service = _own(db.session.get(Service, service_id))
    if service.status == "archived":
        abort(404)
    waiting = proposals.open_proposal(db.session, service)
    if waiting is not None:
        return saved(url_for(".detail", proposal_id=waiting.id),
                     _("Ta usługa ma już propozycję zmian. Możesz ją poprawić albo wycofać."), "info")
    if request.method == "GET":
        form = _form_of(catalogue.service_data(service))
        form.base_version.data = str(service.version)
        return _form_page(form, service=service)
    form = _posted_form()
    if not form.validate():
        return _form_page(form, service=service, status=422)
    return commit(
        lambda: proposals.propose_change(db.session, service, form.to_data(), actor=current_user,
                                         base_version=version_number(form.base_version.data)),
        form=form, invalid=lambda error: _form_page(form, service=service),
        conflict=lambda error: _service_moved(form, service_id, None),
        refused=TRANSITION_REFUSED,
        done=lambda proposal: saved(url_for(".detail", proposal_id=proposal.id),
                                    _("Propozycja została złożona. Organizator usług ją przejrzy.")))


@bp.route("/<int:proposal_id>")
@role_required(*PROVIDERS)
def detail(proposal_id):
    proposal = _own(db.session.get(Proposal, proposal_id))
    return render_template("proposals/detail.html", proposal=proposal, rows=rows(proposal))


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@role_required(*PROVIDERS)
def revise(proposal_id):
    proposal = _own(db.session.get(Proposal, proposal_id))
    if not proposal.is_open:
        return saved(url_for(".detail", proposal_id=proposal.id),
                     _("Ta propozycja jest już rozpatrzona albo wycofana; nie można jej zmienić."), "info")
    service = proposal.service
    if request.method == "GET":
        form = _form_of(proposals.proposed_data(proposal))
        form.version.data = str(proposal.version)
        if service is not None:
            form.base_version.data = str(service.version)
        return _form_page(form, service=service, proposal=proposal)
    form = _posted_form()
    if not form.validate():
        return _form_page(form, service=service, proposal=proposal, status=422)

    def conflict(error):
        current = db.session.get(Proposal, proposal_id)
        if not current.is_open:
            return saved(url_for(".detail", proposal_id=proposal_id),
                         _("Ta propozycja została w międzyczasie rozpatrzona; Twoje poprawki nie zostały zapisane."),
                         "warning")
        if version_number(form.version.data) != current.version or current.service is None:
            form.version.data = str(current.version)
            return _form_page(form, service=current.service, proposal=current, conflict=True)
        return _service_moved(form, current.service_id, current)

    return commit(
        lambda: proposals.revise(db.session, proposal, form.to_data(), actor=current_user,
                                 expected_version=form.version.data,
                                 base_version=version_number(form.base_version.data)),
        form=form, invalid=lambda error: _form_page(form, service=service, proposal=proposal),
        conflict=conflict, refused=TRANSITION_REFUSED,
        done=lambda _result: saved(url_for(".detail", proposal_id=proposal_id),
                                   _("Poprawiona propozycja została złożona ponownie.")))


@bp.route("/<int:proposal_id>/withdraw", methods=["POST"])
@role_required(*PROVIDERS)
def withdraw(proposal_id):
    proposal = _own(db.session.get(Proposal, proposal_id))
    detail_url = url_for(".detail", proposal_id=proposal_id)
    if proposal.is_open and not confirmed():
        return confirm_page(title=_("Wycofać propozycję „%(name)s”?", name=proposal.name),
                            button=_("Wycofaj propozycję"), cancel_url=detail_url,
                            consequences=[_("Organizator usług nie rozpatrzy tej propozycji."),
                                          _("Wycofanej propozycji nie można przywrócić; możesz złożyć nową.")])

    def conflict(error):
        current = db.session.get(Proposal, proposal_id)
        return render_template("proposals/detail.html", proposal=current, rows=rows(current),
                               conflict=True)

    return commit(
        lambda: proposals.withdraw(db.session, proposal, actor=current_user,
                                   expected_version=request.form.get("version")),
        conflict=conflict,
        refused={TransitionError: lambda error: saved(detail_url, _("Tej propozycji nie można już wycofać."),
                                                      "warning")},
        done=lambda _result: saved(detail_url, _("Propozycja została wycofana.")))


# --- the organiser -------------------------------------------------------------------

@bp.route("/review")
@role_required(*REVIEWERS)
def queue():
    return render_template("proposals/queue.html", waiting=proposals.waiting(db.session),
                           decided=proposals.decided(db.session))


def _state_conflict(proposal, wanted):
    """The conflict screen's table and note when the proposal's state moved
    (as core.views.status_conflict does for a record's status)."""
    rows = [(_l("Stan"), STATES.get(proposal.state, proposal.state), STATES.get(wanted, wanted))]
    return {"conflict": rows,
            "conflict_note": ALREADY_SAVED_NOTE if proposal.state == wanted else ACTION_CONFLICT_NOTE}


def _review_page(proposal, *, form=None, status=200, conflict=None, conflict_note=None, service_version=None,
                 refusal=None):
    if service_version is None:
        service_version = proposal.base_version
    return render_template("proposals/review.html", proposal=proposal, rows=rows(proposal),
                           form=form or ReturnForm(formdata=None), conflict=conflict, conflict_note=conflict_note,
                           service_version=service_version, refusal=refusal), status


@bp.route("/review/<int:proposal_id>")
@role_required(*REVIEWERS)
def review(proposal_id):
    proposal = found(db.session.get(Proposal, proposal_id))
    return _review_page(proposal)


def _accept_conflict(proposal_id, posted_version):
    """The review page as things are now. Another organiser decided (or the
    provider withdrew): the state saved beside the one asked for. The
    provider revised it: the proposal as it is now, to be read again. The
    service changed since the proposal: what differs between the saved
    service and the proposal on top, and accepting from this page overwrites
    knowingly (it carries the service's version now)."""
    current = found(db.session.get(Proposal, proposal_id))
    if current.state != "submitted":
        return _review_page(current, **_state_conflict(current, "accepted"))
    if version_number(posted_version) != current.version or current.service is None:
        return _review_page(current, conflict=[], conflict_note=PROPOSAL_MOVED_NOTE)
    table = [(LABELS.get(key, key), presenters.shown_value(key, theirs), presenters.shown_value(key, yours))
             for key, theirs, yours in proposals.conflicts(current)]
    return _review_page(current, conflict=table, conflict_note=SERVICE_MOVED_NOTE,
                        service_version=current.service.version)


PROPOSAL_MOVED_NOTE = _l("Realizator poprawił propozycję po otwarciu tej strony, więc nic nie zostało zapisane. "
                         "Poniżej jest propozycja w obecnym stanie — przejrzyj ją jeszcze raz.")
SERVICE_MOVED_NOTE = _l("Od złożenia propozycji ktoś zmienił tę usługę, więc nic nie zostało zapisane. Poniżej są "
                        "pola, w których zapisana usługa różni się od tego, co zrobi z niej propozycja. Przyjęcie "
                        "propozycji teraz zastąpi te zapisane wartości wartościami realizatora; możesz też zwrócić "
                        "propozycję realizatorowi z prośbą o uwzględnienie zmian.")


@bp.route("/review/<int:proposal_id>/accept", methods=["POST"])
@role_required(*REVIEWERS)
def accept(proposal_id):
    proposal = found(db.session.get(Proposal, proposal_id))
    review_url = url_for(".review", proposal_id=proposal_id)
    if proposal.state == "submitted" and not confirmed():
        changed = sum(1 for row in rows(proposal) if row[3])
        return confirm_page(
            title=_("Przyjąć propozycję „%(name)s”?", name=proposal.name), button=_("Przyjmij propozycję"),
            cancel_url=review_url,
            facts=[(_("Realizator"), proposal.provider.name), (_("Rodzaj"), proposal.kind_label),
                   (_("Zmienione pola"), ngettext("%(num)s pole", "%(num)s pól", changed))],
            consequences=[_("Zmiany od razu pojawią się w katalogu publicznym, w wyszukiwarce i na ekranach "
                            "informacyjnych."),
                          _("Przyjęcia nie można cofnąć; kolejną zmianę wprowadza się edycją usługi.")])
    return commit(
        lambda: proposals.accept(db.session, proposal, actor=current_user,
                                 expected_version=request.form.get("version"),
                                 service_version=version_number(request.form.get("service_version"))),
        conflict=lambda error: _accept_conflict(proposal_id, request.form.get("version")),
        # The catalogue's own checks refuse it (a rule the provider's form does not know): 422, said on the page.
        invalid=lambda error: _review_page(found(db.session.get(Proposal, proposal_id)), refusal=error.message),
        refused={TransitionError: lambda error: saved(review_url, _("Ta propozycja jest już rozpatrzona."),
                                                      "warning"),
                 # Two new services took the same address at the same moment.
                 IntegrityError: lambda error: answer(_accept_conflict(proposal_id, request.form.get("version")),
                                                      409)},
        done=lambda result: saved(url_for("manage.service_edit", service_id=result.service_id),
                                  _("Propozycja została przyjęta; usługa „%(name)s” jest zmieniona w katalogu.",
                                    name=result.service.name)))


def _return_conflict(proposal_id, form):
    """The provider revised or withdrew it, or another organiser decided,
    since the page was drawn: the proposal as it is now, the message kept."""
    current = found(db.session.get(Proposal, proposal_id))
    return _review_page(current, form=form, **_state_conflict(current, "returned"))


@bp.route("/review/<int:proposal_id>/return", methods=["POST"])
@role_required(*REVIEWERS)
def send_back(proposal_id):
    proposal = found(db.session.get(Proposal, proposal_id))
    form = ReturnForm()
    if not form.validate():
        return _review_page(proposal, form=form, status=422)

    def done(result):
        sent, failed = send_returned(db.session, result)
        if failed:
            flash(_("Nie udało się wysłać wiadomości e-mail do realizatora; zobaczy ją na stronie propozycji."),
                  "warning")
        return saved(url_for(".queue"), ngettext(
            "Propozycja wróciła do realizatora; wiadomość wysłano na %(num)s adres e-mail.",
            "Propozycja wróciła do realizatora; wiadomość wysłano na %(num)s adresów e-mail.", sent)
            if sent else _("Propozycja wróciła do realizatora; zobaczy wiadomość na stronie propozycji."))

    return commit(
        lambda: proposals.send_back(db.session, proposal, form.message.data, actor=current_user,
                                    expected_version=request.form.get("version")),
        form=form, invalid=lambda error: _review_page(proposal, form=form),
        conflict=lambda error: _return_conflict(proposal_id, form),
        refused={TransitionError: lambda error: saved(url_for(".review", proposal_id=proposal_id),
                                                      _("Ta propozycja jest już rozpatrzona."), "warning")},
        done=done)
