"""The kiosk screen (public, by token) and the staff pages that configure
screens and watch their health.

Screen endpoints, all under the screen's secret token:
  /kiosk/<token>            the page: the whole slide set, the first slide visible
  /kiosk/<token>/heartbeat  POST every 15 s: what the screen shows; answers the version
                            marker {"v": ..., "code": ...} (no slide building). CSRF-exempt:
                            no session, the token is the credential; rate-limited
  /kiosk/<token>/version    the same marker for a GET (the staff preview, which reports nothing)
  /kiosk/<token>/slides     the slide set as an HTML fragment, fetched when the marker moves
"""
import logging
import re
from datetime import datetime, timezone

from babel.dates import format_date
from flask import abort, current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from portal.auth.access import role_required
from portal.auth.models import Role
from portal.catalogue.models import Service
from portal.confirm import confirm_page, confirmed
from portal.core.views import commit, get_or_404, saved
from portal.extensions import csrf, db, htmx, limiter
from portal.public_urls import public_base_url, public_url
from portal.text import polish_order
from portal.timeutil import now, to_local

from . import bp
from . import hours as opening
from . import services as kiosk
from .forms import ScreenForm, field_labels
from .models import Screen

log = logging.getLogger(__name__)

# Who sets up screens: the community organiser (kiosk content is theirs) and
# the administrator. The director also sees the list, the health page and the
# previews (reads, never changes).
EDITORS = (Role.COMMUNITY_ORGANISER, Role.ADMIN)
VIEWERS = (*EDITORS, Role.DIRECTOR)

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEY_RE = re.compile(r"^[a-z0-9-]{1,80}$")
VERSION_RE = re.compile(r"^[0-9.]{1,80}$")
MAX_POSITION = 10000


# --- helpers -------------------------------------------------------------------------

def _screen_by_token(token, *options):
    if not TOKEN_RE.match(token):
        abort(404)
    screen = db.session.scalar(select(Screen).where(Screen.token == token).options(*options))
    if screen is None:
        abort(404)
    return screen


def _public_url(endpoint, argument):
    """slug -> where phones reach the public page: the configured public
    address (portal.public_urls), never the Host the screen's request sent."""
    def build(slug):
        try:
            return public_url(endpoint, **{argument: slug})
        except BuildError:  # no public page to point at: the slide goes without a code
            return None
    return build


def _calendar_url():
    try:
        return public_url("events.index")
    except BuildError:
        return None


def _options():
    return {
        "centre": kiosk.centre_from(current_app.config),
        "event_url": _public_url("events.detail", "event_slug"),
        "service_url": _public_url("catalogue.service_detail", "slug"),
        "calendar_url": _calendar_url(),
        "test_seconds": current_app.config.get("KIOSK_TEST_SECONDS"),
    }


def _root():
    return current_app.root_path.rsplit("/", 1)[0]


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _screen_context(screen, moment, preview=False):
    slides = kiosk.slide_set(db.session, screen, moment, **_options())
    return {
        "screen": screen,
        "set": slides,
        "marker": kiosk.marker_for_screen(db.session, screen, moment),
        "code": kiosk.code_version(_root()),
        # Outside its hours a screen is dark, whatever notice is on.
        "night": opening.night_at(opening.Rules.of(screen), moment),
        "now": moment,
        "preview": preview,
        "check_seconds": current_app.config.get("KIOSK_CHECK_SECONDS", 15),
        "test_hooks": bool(current_app.config.get("KIOSK_TEST_HOOKS")),
    }


# --- the screen ----------------------------------------------------------------------

@bp.route("/kiosk/<token>")
def screen(token):
    moment = now()
    try:
        item = _screen_by_token(token, selectinload(Screen.services))
        context = _screen_context(item, moment)
    except SQLAlchemyError:
        # The database is away: the page still loads; the script shows the set
        # it kept from before (localStorage), or the centre's details.
        db.session.rollback()
        log.warning("kiosk page without the database")
        context = {"screen": None, "set": None, "marker": "", "code": kiosk.code_version(_root()), "night": None,
                   "now": moment, "preview": False, "fallback": _shell_fallback(),
                   "check_seconds": current_app.config.get("KIOSK_CHECK_SECONDS", 15),
                   "test_hooks": bool(current_app.config.get("KIOSK_TEST_HOOKS"))}
        context["token"] = token if TOKEN_RE.match(token) else None
        if context["token"] is None:
            abort(404)
        return _no_store(make_response(render_template("kiosk/screen.html", **context), 200))
    context["token"] = token
    return _no_store(make_response(render_template("kiosk/screen.html", **context)))


def _shell_fallback():
    from .slides import Content, Inputs, fallback_slide

    return fallback_slide(Inputs(content=Content(), centre=kiosk.centre_from(current_app.config)))


@bp.route("/kiosk/<token>/version")
@limiter.exempt
def version(token):
    if not TOKEN_RE.match(token):
        abort(404)
    try:
        found = kiosk.marker(db.session, token, now())
    except SQLAlchemyError:
        db.session.rollback()
        return _no_store(make_response(jsonify(error="unavailable"), 503))
    if found is None:
        return _no_store(make_response(jsonify(error="not found"), 404))
    response = jsonify(v=found[1], code=kiosk.code_version(_root()))
    return _no_store(response)


@bp.route("/kiosk/<token>/slides")
def slides(token):
    moment = now()
    item = _screen_by_token(token, selectinload(Screen.services))
    context = _screen_context(item, moment)
    return _no_store(make_response(render_template("kiosk/_slides.html", **context)))


def _int(value, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def _report(data):
    """A heartbeat's body, checked field by field; junk becomes None."""
    if not isinstance(data, dict):
        return None
    key = data.get("key")
    set_version = data.get("v")
    data_at = _int(data.get("data_at"), 0, 10 ** 14)
    return kiosk.Report(
        slide_key=key if isinstance(key, str) and KEY_RE.match(key) else None,
        position=_int(data.get("pos"), 0, MAX_POSITION),
        count=_int(data.get("count"), 0, MAX_POSITION),
        set_version=set_version if isinstance(set_version, str) and VERSION_RE.match(set_version) else None,
        data_at=datetime.fromtimestamp(data_at / 1000, timezone.utc) if data_at else None,
    )


def _heartbeat_key():
    return "kiosk-heartbeat:" + (request.view_args or {}).get("token", "")[:64]


@bp.route("/kiosk/<token>/heartbeat", methods=["POST"])
@csrf.exempt
@limiter.limit("12 per minute", key_func=_heartbeat_key)
def heartbeat(token):
    """The screen's check every 15 s: it reports what it shows and gets the
    version marker back (one request instead of a report and a version ask)."""
    if not TOKEN_RE.match(token):
        abort(404)
    report = _report(request.get_json(silent=True))
    if report is None:
        return _no_store(make_response(jsonify(error="bad report"), 400))
    moment = now()
    try:
        found = kiosk.marker(db.session, token, moment)
        if found is None:
            return _no_store(make_response(jsonify(error="not found"), 404))
        kiosk.record_heartbeat(db.session, found[0], report, user_agent=request.headers.get("User-Agent"), now=moment)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        return _no_store(make_response(jsonify(error="unavailable"), 503))
    return _no_store(jsonify(v=found[1], code=kiosk.code_version(_root())))


# --- staff: screens ------------------------------------------------------------------

def _service_choices():
    rows = db.session.execute(select(Service.id, Service.name).where(Service.status == "active")
                              .order_by(polish_order(Service.name))).all()
    return [(row.id, row.name) for row in rows]


def _place_choices():
    from portal.catalogue.models import Place

    rows = db.session.execute(select(Place.id, Place.name).order_by(polish_order(Place.name))).all()
    return [("", _("— nie wskazano —"))] + [(str(row.id), row.name) for row in rows]


def _form(formdata=None, **kwargs):
    form = ScreenForm(formdata=formdata, **kwargs) if formdata is not None else ScreenForm(**kwargs)
    form.place_id.choices = _place_choices()
    form.service_ids.choices = _service_choices()
    return form


def _form_page(form, screen, status=200, conflict=None):
    return render_template("kiosk/screen_form.html", form=form, screen=screen, conflict=conflict), status


def _get_screen(screen_id):
    return get_or_404(Screen, screen_id)


@bp.route("/staff/kiosk/")
@role_required(*VIEWERS)
def screens():
    items = db.session.scalars(select(Screen).options(selectinload(Screen.place))
                               .order_by(polish_order(Screen.name), Screen.id)).all()
    return render_template("kiosk/screens.html", screens=items, can_edit=current_user.role in EDITORS,
                           base=public_base_url())


@bp.route("/staff/kiosk/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def screen_new():
    if request.method == "GET":
        return _form_page(_form(data=ScreenForm.defaults()), None)
    form = _form()
    if not form.validate():
        return _form_page(form, None, status=422)
    return commit(lambda: kiosk.create_screen(db.session, form.to_data(), actor=current_user, now=now()),
                  done=lambda screen: saved(url_for(".screen_edit", screen_id=screen.id), _(
                      "Dodano ekran „%(name)s”. Otwórz jego adres w przeglądarce ekranu.", name=screen.name)))


@bp.route("/staff/kiosk/<int:screen_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def screen_edit(screen_id):
    screen = _get_screen(screen_id)
    if request.method == "GET":
        form = _form(data=ScreenForm.data_of(screen))
        return _form_page(form, screen)
    form = _form()
    if not form.validate():
        return _form_page(form, screen, status=422)
    data = form.to_data()

    def conflict(error):
        current = _get_screen(screen_id)
        labels = field_labels()
        rows = [(labels.get(key, key), form.describe(key, theirs), form.describe(key, yours))
                for key, theirs, yours in kiosk.conflicts(current, data)]
        form.version.data = str(current.version)
        return _form_page(form, current, conflict=rows)

    return commit(
        lambda: kiosk.update_screen(db.session, screen, data, actor=current_user,
                                  expected_version=form.version_number(), now=now()),
        form=form, invalid=lambda error: _form_page(form, screen), conflict=conflict,
        done=lambda _result: saved(url_for(".screen_edit", screen_id=screen_id),
                                   _("Zapisano zmiany. Ekran pokaże je w ciągu pół minuty.")))


@bp.route("/staff/kiosk/<int:screen_id>/token", methods=["POST"])
@role_required(*EDITORS)
def screen_token(screen_id):
    screen = _get_screen(screen_id)
    if not confirmed():
        return confirm_page(
            title=_("Nadać ekranowi „%(name)s” nowy adres?", name=screen.name), button=_("Nadaj nowy adres"),
            cancel_url=url_for(".screen_edit", screen_id=screen.id),
            consequences=[_("Stary adres przestanie działać od razu: nowy trzeba otworzyć w przeglądarce ekranu."),
                          _("Tego nie można cofnąć.")])
    return commit(lambda: kiosk.regenerate_token(db.session, screen, actor=current_user, now=now()),
                  done=lambda _result: saved(url_for(".screen_edit", screen_id=screen_id), _(
                      "Ekran ma nowy adres. Stary adres już nie działa: otwórz nowy w przeglądarce ekranu.")))


@bp.route("/staff/kiosk/<int:screen_id>/preview")
@role_required(*VIEWERS)
def screen_preview(screen_id):
    """The screen exactly as it shows now, running its script, without heartbeats."""
    screen = _get_screen(screen_id)
    context = _screen_context(screen, now(), preview=True)
    context["token"] = screen.token
    return render_template("kiosk/screen.html", **context)


@bp.route("/staff/kiosk/health")
@role_required(*VIEWERS)
def health():
    rows = kiosk.health(db.session, now(), **_options())
    rows.sort(key=lambda r: (kiosk.STATUS_ORDER[r.status], r.screen.name))
    fragment = bool(htmx) and not htmx.history_restore_request and htmx.target == "screen-health"
    template = "kiosk/_health.html" if fragment else "kiosk/health.html"
    response = make_response(render_template(template, rows=rows, now=now(), poll=current_app.config.get(
        "KIOSK_HEALTH_POLL_SECONDS", 10)))
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@bp.app_template_filter("kiosk_clock")
def kiosk_clock(moment):
    return to_local(moment).strftime("%H:%M")


@bp.app_template_filter("kiosk_date")
def kiosk_date(moment):
    """'poniedziałek, 12 października': the script writes the same after midnight."""
    return format_date(to_local(moment).date(), "EEEE, d MMMM", locale=str(get_locale() or "pl"))


@bp.app_template_filter("kiosk_day")
def kiosk_day(moment):
    return to_local(moment).date().isoformat()


@bp.app_template_filter("kiosk_clock_seconds")
def kiosk_clock_seconds(moment):
    return to_local(moment).strftime("%H:%M:%S")


@bp.app_template_filter("kiosk_when")
def kiosk_when(moment):
    local = to_local(moment)
    if local.date() == to_local(now()).date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%d.%m.%Y %H:%M")


@bp.app_template_filter("kiosk_age")
def kiosk_age(age):
    seconds = int(age.total_seconds()) if age is not None else 0
    if seconds < 60:
        return _("przed chwilą")
    if seconds < 3600:
        return _("%(minutes)d min temu", minutes=seconds // 60)
    if seconds < 2 * 86400:
        return _("%(hours)d godz. temu", hours=seconds // 3600)
    return _("%(days)d dni temu", days=seconds // 86400)


STATUS_LABELS = {
    "online": _l("działa"),
    "stale": _l("opóźniony"),
    "offline": _l("brak połączenia"),
    "sleeping": _l("śpi (poza godzinami)"),
}


@bp.app_template_filter("kiosk_status")
def kiosk_status(status):
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_filter("kiosk_hours")
def kiosk_hours(screen):
    return opening.summary(opening.Rules.of(screen))


@bp.app_template_filter("kiosk_invitation")
def kiosk_invitation(screen, moment):
    return opening.invitation(opening.next_opening(opening.Rules.of(screen), moment), moment)
