"""Event pages: public calendar and event pages, iCalendar feeds, images,
and the organiser's pages for events and urgent notices.

Who manages events and notices: the community organiser (it is their job),
the director (stands in, oversees) and the administrator. The front desk
and the others read the public pages like anyone else.

Staff views: load (404) -> check access (decorator) -> call a service ->
commit -> 303, or re-render the form with the input kept (422 invalid,
409 someone else saved in between).
"""
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from flask import abort, current_app, flash, g, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import selectinload

from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import Place, Provider, TargetGroup, Village
from ..confirm import confirmed
from ..core import versions
from ..core.errors import version_number
from ..core.forms import field_labels
from ..core.views import (
    answer,
    commit,
    expect_version,
    get_or_404,
    saved,
    status_conflict,
)
from ..extensions import db
from ..public_urls import public_host, public_url
from ..text import polish_sort_key
from ..timeutil import WARSAW, local_now, now
from ..web import is_region as _fragment
from ..web import render as _render
from . import bp, ics, images
from . import services as events
from .forms import ConfirmForm, EventForm, NoticeForm
from .models import CATEGORIES, STATUSES, Event, Notice
from .presenters import date_weekday_long, rule_text, time_text, when_text

log = logging.getLogger(__name__)

EVENT_STAFF = (Role.COMMUNITY_ORGANISER, Role.DIRECTOR, Role.ADMIN)
PUBLIC_DAYS = 28
# The event form takes an image of up to 5 MB; a larger one is refused at
# the field (with the rest of the input kept) up to this request size.
FORM_MAX_BYTES = 40 * 1024 * 1024
IMAGE_MESSAGES = {
    "too_big": lambda: _("Plik jest większy niż 5 MB. Zmniejsz zdjęcie i wyślij je ponownie."),
    "not_image": lambda: _("To nie jest obraz. Wyślij zdjęcie JPEG, PNG albo WebP."),
    "bad_format": lambda: _("Ten rodzaj obrazu nie jest obsługiwany. Wyślij zdjęcie JPEG, PNG albo WebP."),
    "too_many_pixels": lambda: _("Obraz ma zbyt wiele pikseli. Zmniejsz go i wyślij ponownie."),
}


def event_staff(view):
    return role_required(*EVENT_STAFF)(view)


# --- public pages -------------------------------------------------------------------

def _lookups():
    groups = db.session.scalars(select(TargetGroup).order_by(TargetGroup.position)).all()
    villages = sorted(db.session.scalars(select(Village)).all(), key=lambda v: polish_sort_key(v.name))
    return groups, villages


def _parse_day(raw, default):
    try:
        return date.fromisoformat((raw or "")[:10])
    except ValueError:
        return default


def _day_groups(occurrences, first_day, last_day):
    """[(local date, [occurrence])]: an occurrence is listed on every day it
    covers within the period (a two-day festival shows on both)."""
    by_day = {}
    for occ in occurrences:
        start_day = max(occ.start.date(), first_day)
        last = (occ.end - timedelta(microseconds=1)).astimezone(WARSAW).date()
        if not occ.all_day and occ.end - occ.start < timedelta(days=1):
            last = occ.start.date()  # a night event (22:00–02:00) belongs to its evening
        day = start_day
        while day <= min(last, last_day):
            by_day.setdefault(day, []).append(occ)
            day += timedelta(days=1)
    return sorted(by_day.items())


@bp.route("/events")
def index():
    groups, villages = _lookups()
    group_codes = {g.code: g for g in groups}
    village_slugs = {v.slug: v for v in villages}
    group = group_codes.get((request.args.get("group") or "")[:60])
    village = village_slugs.get((request.args.get("village") or "")[:120])
    today = local_now().date()
    first_day = _parse_day(request.args.get("from"), today)
    first_day = min(max(first_day, today - timedelta(days=366)), today + timedelta(days=3 * 366))
    last_day = first_day + timedelta(days=PUBLIC_DAYS - 1)
    start = datetime.combine(first_day, time(0), tzinfo=WARSAW)
    if first_day == today:
        start = now()  # what has ended today is no longer "on"
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=WARSAW)
    found = events.occurrences(db.session, start, end, audience_ids=[group.id] if group else None,
                            village_id=village.id if village else None)
    context = dict(
        days=_day_groups(found, first_day, last_day), groups=groups, villages=villages,
        group=group, village=village, first_day=first_day, last_day=last_day, today=today,
        next_from=last_day + timedelta(days=1),
        previous_from=max(first_day - timedelta(days=PUBLIC_DAYS), today) if first_day > today else None,
        time_text=time_text,
    )
    template = "events/_list.html" if _fragment("event-list") else "events/index.html"
    return _render(template, **context)


def _visible_event(slug):
    """Public events for everyone; drafts and internal events for event staff only."""
    event = db.session.scalar(select(Event).where(Event.slug == slug).options(
        selectinload(Event.place), selectinload(Event.audience), selectinload(Event.exceptions),
        selectinload(Event.organiser)))
    if event is None:
        abort(404)
    public = event.public and event.status in ("published", "cancelled")
    if not public and not (current_user.is_authenticated and current_user.role in EVENT_STAFF):
        abort(404)
    return event, public


@bp.route("/events/<event_slug>")
def detail(event_slug):
    event, public = _visible_event(event_slug)
    moment = now()
    upcoming = [i for i in events.next_instances(event, moment, count=9)
                if not (event.status == "cancelled" and i.end <= moment)]
    past = not upcoming and event.frequency == "none"
    if past:
        first = events.event_instances(event, datetime.combine(event.start_date, time(0), tzinfo=WARSAW)
                                    - timedelta(days=1), datetime.combine(event.end_date, time(0), tzinfo=WARSAW)
                                    + timedelta(days=2))
        upcoming = first[:1]
    return render_template("events/detail.html", event=event, public=public, upcoming=upcoming, past=past,
                           when_text=when_text, rule=rule_text(event))


# --- feeds and images ------------------------------------------------------------------

ICS_TEXTS = lambda: {  # noqa: E731 - translated per request
    "cancelled": _("ODWOŁANE"),
    "registration": _("Obowiązują zapisy, tel."),
    "free": _("Wstęp wolny."),
    "price": _("Wstęp płatny:"),
}


def _feed_events(group=None, event=None):
    query = (select(Event).where(Event.public.is_(True), Event.status.in_(("published", "cancelled")))
             .options(selectinload(Event.place), selectinload(Event.exceptions)).order_by(Event.id))
    if event is not None:
        query = query.where(Event.id == event.id)
    rows = db.session.scalars(query).all()
    if group is not None:
        rows = [e for e in rows if not e.audience or group in e.audience]
    return rows


def _calendar_response(rows, name, filename, attachment=False):
    # Addresses and UIDs from the configured public address: the feeds are
    # cached publicly, and a Host header is whatever the client sent.
    body = ics.build(rows, name=name, domain=public_host(), moment=now(), texts=ICS_TEXTS(),
                     url_for_event=lambda e: public_url("events.detail", event_slug=e.slug))
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=900"
    return response


@bp.route("/events.ics")
def feed():
    return _calendar_response(_feed_events(), _("Wydarzenia — %(centre)s", centre=current_app.config["CENTRE_NAME"]),
                              "wydarzenia.ics")


@bp.route("/events/audience/<code>.ics")
def audience_feed(code):
    group = db.session.scalar(select(TargetGroup).where(TargetGroup.code == code[:60]))
    if group is None:
        abort(404)
    return _calendar_response(_feed_events(group=group), _("Wydarzenia: %(group)s", group=group.name),
                              f"wydarzenia-{group.code}.ics")


@bp.route("/events/<event_slug>.ics")
def event_feed(event_slug):
    event = events.public_event(db.session, event_slug)
    if event is None:
        abort(404)
    return _calendar_response(_feed_events(event=event), event.title, f"{event.slug}.ics", attachment=True)


@bp.route("/events/media/<image_name>")
def image(image_name):
    path = images.path_for(image_name)
    if path is None:
        abort(404)
    extension = image_name.rsplit(".", 1)[1]
    response = send_file(path, mimetype=images.MIMETYPES[extension], max_age=7 * 24 * 3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


# --- the organiser's list --------------------------------------------------------------

STAFF_VIEWS = ("upcoming", "past", "drafts")


@bp.route("/staff/events")
@event_staff
def manage():
    view = request.args.get("view", "upcoming")
    view = view if view in STAFF_VIEWS else "upcoming"
    category = request.args.get("category", "")
    category = category if category in CATEGORIES else ""
    text = (request.args.get("q") or "").strip()[:100]
    rows = events.list_events(db.session, view, now(), text=text, category=category)
    context = dict(rows=rows, view=view, category=category, q=text, categories=CATEGORIES,
                   views={"upcoming": _("Nadchodzące"), "past": _("Minione"), "drafts": _("Szkice")},
                   when_text=when_text, rule_text=rule_text)
    template = "events/_manage_list.html" if _fragment("event-rows") else "events/manage.html"
    return _render(template, **context)


# --- create and edit ---------------------------------------------------------------------

EVENT_LABELS = field_labels(EventForm, free="fee", image_name="image")


def _set_choices(form):
    places = sorted(db.session.scalars(select(Place)).all(), key=lambda p: polish_sort_key(p.name))
    providers = sorted(db.session.scalars(select(Provider).where(Provider.status == "active")).all(),
                       key=lambda p: polish_sort_key(p.name))
    groups = db.session.scalars(select(TargetGroup).order_by(TargetGroup.position)).all()
    form.set_choices(places, providers, groups)


def _event_page(form, event, status=200, conflict=None, image_name=None, conflict_note=None):
    return render_template("events/form.html", form=form, event=event,
                           conflict=conflict, conflict_note=conflict_note, image_name=image_name,
                           image_max=images.MAX_BYTES), status


def _event_form(event):
    """The event's form as stored, for its page."""
    form = EventForm(formdata=None)
    _set_choices(form)
    form.fill(events.event_data(event))
    form.version.data = str(event.version)
    return form


@bp.url_value_preprocessor
def _event_form_limit(endpoint, values):
    # URL preprocessors run before every before_request hook, and the CSRF
    # check (one of those) is what first parses the body: the event form's
    # own limit has to be set before it.
    if endpoint in ("events.new", "events.edit") and request.method == "POST":
        request.max_content_length = FORM_MAX_BYTES


def _image_for(form, current_name):
    """(image name to save, error message or None): an upload replaces the
    image; a valid upload is kept in `pending_image` when something else in
    the form is wrong, so it need not be sent again."""
    name = current_name
    if form.pending_image.data and images.path_for(form.pending_image.data):
        name = form.pending_image.data
    upload = request.files.get(form.image.name)
    if upload is not None and upload.filename:
        try:
            name = images.store_upload(upload.stream)
        except images.ImageError as error:
            return name, IMAGE_MESSAGES[error.code]()
        form.pending_image.data = name
        referenced = set(db.session.scalars(select(Event.image_name).where(Event.image_name.is_not(None))))
        images.remove_orphans(referenced | {name, current_name})
    if form.remove_image.data:
        name = None
    return name, None


def _check_image(form, valid, image_name):
    _name, message = image_name
    if message:
        form.image.errors = list(form.image.errors or []) + [message]
        valid = False
    if _name and not form.image_alt.data:
        form.image_alt.errors = list(form.image_alt.errors or []) + [
            _("Opisz, co jest na zdjęciu (np. „Plakat Święta Pieroga”).")]
        valid = False
    return valid


@bp.route("/staff/events/new", methods=["GET", "POST"])
@event_staff
def new():
    if request.method == "GET":
        form = EventForm(formdata=None)
        _set_choices(form)
        form.fee.data = "free"
        form.public.data = True
        form.category.data = "culture"
        return _event_page(form, None)
    form = EventForm()
    _set_choices(form)
    valid = form.validate()
    image = _image_for(form, None)
    valid = _check_image(form, valid, image)
    if not valid:
        return _event_page(form, None, status=422, image_name=image[0])

    def address_taken(error):  # two people took the same address at once
        form.title.errors = list(form.title.errors) + [_("Zapisz ponownie — adres strony był właśnie zajęty.")]
        return answer(_event_page(form, None, image_name=image[0]), 422)

    return commit(
        lambda: events.create_event(db.session, form.to_data(image[0]), actor=current_user), form=form,
        invalid=lambda error: _event_page(form, None, image_name=image[0]),
        refused={IntegrityError: address_taken},
        done=lambda event: saved(url_for(".edit", event_id=event.id), _(
            "Zapisano szkic wydarzenia „%(title)s”. Opublikuj je, gdy będzie gotowe.", title=event.title)))


@bp.route("/staff/events/<int:event_id>/edit", methods=["GET", "POST"])
@event_staff
def edit(event_id):
    event = get_or_404(Event, event_id)
    if request.method == "GET":
        return _event_page(_event_form(event), event, image_name=event.image_name)
    form = EventForm()
    _set_choices(form)
    valid = form.validate()
    image = _image_for(form, event.image_name)
    valid = _check_image(form, valid, image)
    if not valid:
        return _event_page(form, event, status=422, image_name=image[0])
    data = form.to_data(image[0])
    return commit(
        lambda: events.update_event(db.session, event, data, actor=current_user,
                                 expected_version=version_number(form.version.data)), form=form,
        invalid=lambda error: _event_page(form, event, image_name=image[0]),
        conflict=lambda error: _conflict(form, event_id, data),
        done=lambda _result: saved(url_for(".edit", event_id=event_id), _("Zapisano zmiany.")))


def _conflict(form, event_id, data):
    event = get_or_404(Event, event_id)
    rows = [(EVENT_LABELS.get(key, key), theirs, yours) for key, theirs, yours in events.event_conflicts(event, data)]
    # Saving the form again now overwrites, knowingly: the differences are on screen.
    form.version.data = str(event.version)
    return _event_page(form, event, conflict=rows, image_name=data.get("image_name"))


@bp.route("/staff/events/<int:event_id>/status", methods=["POST"])
@event_staff
def status(event_id):
    event = get_or_404(Event, event_id)
    action = request.form.get("action", "")
    if action not in events.STATUS_ACTIONS:
        abort(400)
    note = (request.form.get("note") or "").strip()[:300] or None

    def change():
        expect_version(event, request.form.get("version"))
        return events.set_event_status(db.session, event, action, actor=current_user, note=note)

    def conflict(error):
        current = get_or_404(Event, event_id)
        return _event_page(_event_form(current), current, image_name=current.image_name,
                           **status_conflict(current, events.STATUS_ACTIONS[action], STATUSES))

    return commit(change, conflict=conflict, done=lambda changed: saved(
        url_for(".edit", event_id=event_id), STATUS_MESSAGES[action]() if changed else None))


STATUS_MESSAGES = {
    "publish": lambda: _("Wydarzenie jest opublikowane: widać je na stronie, w kalendarzach i na ekranach."),
    "cancel": lambda: _("Wydarzenie jest odwołane. Do czasu, w którym miało się skończyć, widać je z oznaczeniem „odwołane”."),  # noqa: E501
    "unpublish": lambda: _("Wydarzenie wróciło do szkiców i zniknęło ze strony publicznej."),
}


@bp.route("/staff/events/<int:event_id>/duplicate", methods=["POST"])
@event_staff
def duplicate(event_id):
    event = get_or_404(Event, event_id)
    copy = events.duplicate_event(db.session, event, actor=current_user, copy_image=images.copy)
    db.session.commit()
    flash(_("Utworzono kopię jako szkic. Zmień datę i opublikuj."), "success")
    return redirect(url_for(".edit", event_id=copy.id), code=303)


# --- notices ------------------------------------------------------------------------------

def _notices_page(form, status=200):
    current, ended = events.list_notices(db.session, now())
    return render_template("events/notices.html", form=form, current=current, ended=ended, moment=now()), status


@bp.route("/staff/notices", methods=["GET", "POST"])
@event_staff
def notices():
    if request.method == "GET":
        return _notices_page(NoticeForm(formdata=None))
    form = NoticeForm()
    if not form.validate():
        return _notices_page(form, status=422)
    return commit(
        lambda: events.create_notice(db.session, form.text.data, form.ends_at.data, actor=current_user,
                                  starts_at=form.starts_at.data, display=form.display.data), form=form,
        invalid=lambda error: _notices_page(form),
        done=lambda _result: saved(url_for(".notices"),
                                   _("Komunikat zapisany. Widać go na ekranach i na każdej stronie portalu.")))


@bp.route("/staff/notices/<int:notice_id>/end", methods=["GET", "POST"])
@event_staff
def notice_end(notice_id):
    """Ending a notice cannot be undone: the list links here, this page asks,
    and only its form ends the notice."""
    notice = get_or_404(Notice, notice_id)
    moment = now()
    if notice.ends_at <= moment:
        if request.method == "POST":
            flash(_("Ten komunikat już się zakończył."), "info")
        return redirect(url_for(".notices"), code=303)
    form = ConfirmForm()
    # Only the confirmation page's own post (portal/confirm.py) ends it.
    if form.validate_on_submit() and confirmed():
        events.end_notice(db.session, notice, actor=current_user)
        db.session.commit()
        if notice.withdrawn:
            flash(_("Komunikat wycofany: nie pokaże się ani na ekranach, ani w portalu."), "success")
        else:
            flash(_("Komunikat zakończony. Zniknie z ekranów w ciągu pół minuty."), "success")
        return redirect(url_for(".notices"), code=303)
    status = 422 if form.errors else 200
    return render_template("events/notice_end.html", notice=notice, form=form, moment=moment), status


bp.add_app_template_filter(date_weekday_long, "date_weekday_long")


# --- the banner on every page ----------------------------------------------------------------

@dataclass(frozen=True)
class _Banner:
    """The notices showing, as the banner needs them, kept per process and app
    while the events version stands, from `since` until the next notice
    starts or ends."""
    version: int
    since: datetime
    until: datetime | None
    notices: tuple  # (text, ends_at) pairs


def _banner_notices(at):
    held = current_app.extensions.get("event_banner")
    version = versions.as_request_saw(db.session, versions.EVENTS)  # one read per page, with the catalogue's
    if held is None or held.version != version or at < held.since or (held.until is not None and at >= held.until):
        notices = tuple(SimpleNamespace(text=n.text, ends_at=n.ends_at) for n in events.active_notices(db.session, at))
        held = _Banner(version, at, events.next_notice_change(db.session, at), notices)
        current_app.extensions["event_banner"] = held
    return list(held.notices)


@bp.app_context_processor
def _banner():
    def active_notices():
        # Only when a page asks (base.html); a page must still render when
        # the database is away (the error pages): then it is not even asked.
        if g.get("database_down"):
            return []
        try:
            return _banner_notices(now())
        except SQLAlchemyError:
            db.session.rollback()
            return []
    return {"active_notices": active_notices}
