"""Service data shaped for cards and pages: plain Polish, computed once per request."""
from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _

from ..i18n import format_date_long, format_date_short, format_money, format_time
from . import schedule as sched


def weekday_names():
    return get_day_names("wide", locale=str(get_locale() or "pl"))


def cost_text(service):
    if service.is_free:
        return _("Bezpłatna")
    return _("%(amount)s / %(unit)s", amount=format_money(service.fee_amount), unit=service.unit_label)


def places_text(service):
    parts = [p.name for p in service.places]
    if service.at_client_home:
        parts.append(_("w domu klienta"))
    return ", ".join(parts)


def session_text(session, moment):
    """'teraz, do 12:00' or 'wt., 25.11.2026, 10:00–12:00'."""
    if session is None:
        return None
    if session.start <= moment < session.end:
        return _("otwarte teraz, do %(time)s", time=format_time(session.end))
    return f"{format_date_short(session.start)}, {format_time(session.start)}–{format_time(session.end)}"


def card_for(service, moment):
    schedule = service.schedule()
    upcoming = sched.current_or_next_session(schedule, moment, horizon_days=120) if service.status == "active" else None
    return {
        "service": service,
        "places": places_text(service),
        "next": session_text(upcoming, moment),
        "open_now": bool(upcoming and upcoming.start <= moment < upcoming.end),
        "cost": cost_text(service),
        "groups": [g.name for g in service.target_groups],
    }


def eligibility_lines(service):
    lines = []
    if service.minimum_age is not None and service.maximum_age is not None:
        lines.append(_("Wiek od %(low)s do %(high)s lat.", low=service.minimum_age, high=service.maximum_age))
    elif service.minimum_age is not None:
        lines.append(_("Wiek od %(low)s lat.", low=service.minimum_age))
    elif service.maximum_age is not None:
        lines.append(_("Wiek do %(high)s lat.", high=service.maximum_age))
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
    }
