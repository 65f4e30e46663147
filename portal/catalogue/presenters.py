"""Service data shaped for cards and pages: plain Polish, computed once per request."""
from datetime import datetime, time, timedelta, timezone

from babel.dates import get_day_names
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from ..i18n import format_date_long, format_date_short, format_money, format_time, from_age, up_to_age
from ..validation import ValidationError, format_phone, normalise_phone
from . import schedule as sched
from .models import SERVICE_STATUSES, UNITS


def weekday_names():
    return get_day_names("wide", locale=str(get_locale() or "pl"))


def cost_text(service):
    return _cost(service.fee_amount, service.unit)


def _cost(fee_amount, unit):
    if not fee_amount:
        return _("Bezpłatna")
    return _("%(amount)s / %(unit)s", amount=format_money(fee_amount), unit=UNITS.get(unit, (unit,))[0])


def places_text(service):
    return _places(tuple(p.name for p in service.places), service.at_client_home)


def _places(names, at_home):
    parts = list(names)
    if at_home:
        parts.append(_("w domu klienta"))
    return ", ".join(parts)


def session_text(session, moment):
    """'teraz, do 12:00' or 'wt., 25.11.2026, 10:00–12:00'."""
    if session is None:
        return None
    if session.start <= moment < session.end:
        return _("otwarte teraz, do %(time)s", time=format_time(session.end))
    return f"{format_date_short(session.start)}, {format_time(session.start)}–{format_time(session.end)}"


def _card(*, name, slug, status, provider_name, place_names, at_home, fee_amount, unit, group_names,
          schedule_description, schedule, moment):
    upcoming = sched.current_or_next_session(schedule, moment, horizon_days=120) if status == "active" else None
    return {
        "name": name,
        "slug": slug,
        "status": status,
        "status_label": SERVICE_STATUSES.get(status, status),
        "provider": provider_name,
        "places": _places(place_names, at_home),
        "next": session_text(upcoming, moment),
        "open_now": bool(upcoming and upcoming.start <= moment < upcoming.end),
        "cost": _cost(fee_amount, unit),
        "groups": list(group_names),
        "schedule_description": schedule_description,
    }


def card_labels():
    return {
        "provider": _("Realizator"),
        "place": _("Miejsce"),
        "next": _("Najbliższy termin"),
        "cost": _("Koszt"),
        "groups": _("Dla kogo"),
        "by_appointment": _("po umówieniu"),
    }


def card_for(service, moment):
    """A result card from a Service row."""
    return _card(name=service.name, slug=service.slug, status=service.status,
                 provider_name=service.provider.name if service.provider else "",
                 place_names=tuple(p.name for p in service.places), at_home=service.at_client_home,
                 fee_amount=service.fee_amount, unit=service.unit,
                 group_names=tuple(g.name for g in service.target_groups),
                 schedule_description=service.schedule_description, schedule=service.schedule(), moment=moment)


def card_for_doc(doc, moment):
    """The same card from the search index, with no query."""
    return _card(name=doc.name, slug=doc.slug, status=doc.status, provider_name=doc.provider_name,
                 place_names=doc.place_names, at_home=doc.at_home, fee_amount=doc.fee_amount, unit=doc.unit,
                 group_names=doc.group_names, schedule_description=doc.schedule_description,
                 schedule=doc.schedule, moment=moment)


def eligibility_lines(service):
    lines = []
    if service.minimum_age is not None and service.maximum_age is not None:
        lines.append(_("Wiek od %(low)s %(limit)s.", low=service.minimum_age, limit=up_to_age(service.maximum_age)))
    elif service.minimum_age is not None:
        lines.append(_("Wiek %(limit)s.", limit=from_age(service.minimum_age)))
    elif service.maximum_age is not None:
        lines.append(_("Wiek %(limit)s.", limit=up_to_age(service.maximum_age)))
    if service.residents_only:
        lines.append(_("Dla mieszkańców gminy."))
    if service.requires_disability_certificate:
        lines.append(_("Wymagane orzeczenie o niepełnosprawności lub równoważne."))
    if service.target_groups_only and service.target_groups:
        lines.append(_("Tylko dla grup: %(groups)s.", groups=", ".join(g.name for g in service.target_groups)))
    return lines


def detail_for(service, moment):
    schedule = service.schedule()
    names = weekday_names()
    weekly = []
    for rule in schedule.rules:
        period = ""
        if rule.valid_from or rule.valid_to:
            period = _("od %(start)s do %(end)s",
                       start=format_date_long(rule.valid_from) if rule.valid_from else "…",
                       end=format_date_long(rule.valid_to) if rule.valid_to else "…")
        weekly.append({
            "day": names[rule.weekday],
            "hours": f"{rule.opens.strftime('%H:%M')}–{rule.closes.strftime('%H:%M')}",
            "period": period,
            "label": rule.label,
        })
    upcoming = sched.next_sessions(schedule, moment, count=3, horizon_days=120) if service.status == "active" else []
    today = moment.astimezone(sched.WARSAW).date()
    closures = [c for c in service.closures if c.ends_on >= today]
    return {
        "weekly": weekly,
        "upcoming": [session_text(s, moment) for s in upcoming],
        "open_now": sched.is_open_at(schedule, moment) if service.status == "active" else False,
        "closures": closures,
        "cost": cost_text(service),
        "places": places_text(service),
        "eligibility": eligibility_lines(service),
        "until": changes_at(upcoming, moment),
    }


def centre_contact():
    """The centre's phone as written ("25 753 10 01") and as a tel: link, and
    its opening hours: the settings the footer and the kiosk read."""
    phone = current_app.config.get("CENTRE_PHONE") or ""
    try:
        tel = "tel:" + normalise_phone(phone)
    except ValidationError:
        tel = None  # a number the portal cannot read is shown, not linked
    return {"phone": format_phone(phone), "tel": tel, "hours": current_app.config.get("CENTRE_HOURS") or ""}


def changes_at(upcoming, moment):
    """When what detail_for shows at `moment` next reads differently (UTC): a
    session shown starts or ends ("open now", the next dates), or the day
    changes (closures that ended, the sessions' horizon). Compared in UTC:
    two Warsaw times of the repeated October hour would compare by wall clock."""
    day = moment.astimezone(sched.WARSAW).date() + timedelta(days=1)
    edges = [datetime.combine(day, time(0), tzinfo=sched.WARSAW)]
    edges.extend(s.start if s.start > moment else s.end for s in upcoming)
    return min(edge.astimezone(timezone.utc) for edge in edges)
