"""Which slides a screen shows: pure functions of the data and the time.

`build(inputs, now)` turns today's and the coming events, services, notices
and the centre's details into a `SlideSet`: the rotation, the full-screen
notices (which take the screen from their start to their end), the banner
notices (a strip on every slide while the rotation goes on), the fallback
slide (shown whenever nothing else is valid) and the screen's sleeping
stretches, which win over everything: outside its hours a screen is dark.
Every slide and every line of "Dziś" carries the instant it stops being
true, so the browser can drop it on time even when it cannot reach the
server; every slide carries a fingerprint of its content (`digest`), so a
running screen can tell a changed "Dziś" from the one it showed and show
it next.

What a slide says is for a resident reading from two metres: places in
words ("5 wolnych miejsc"), when and where, how to apply, phone numbers the
Polish way, never internal figures (a pool of hours) nor anybody's data.

Nothing here reads the database, the request or the clock.
"""
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from babel.dates import format_date
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.timeutil import WARSAW
from portal.validation import format_phone

from . import hours as opening
from .qr import qr_svg

UPCOMING_DAYS = 14
MAX_UPCOMING = 12
MAX_SERVICES = 10
MAX_FREE_SERVICES = 6
TODAY_PER_SLIDE = 4  # lines of "Dziś" on one slide
TODAY_CARDS = 2      # up to this many events a slide shows each as a big card
MAX_WEEKLY_GROUPS = 3
MIN_SECONDS = 10
MAX_SECONDS = 20
NOTICE_HORIZON = timedelta(hours=48)
EMERGENCY = (
    ("112", _l("numer alarmowy")),
    ("999", _l("pogotowie ratunkowe")),
    ("997", _l("policja")),
    ("998", _l("straż pożarna")),
)


# --- inputs ------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceCard:
    """What a slide may say about a service: no contact person, nobody's data
    (not even the service's own phone, which is often a person's)."""

    id: int
    slug: str
    name: str
    provider: str
    place: str | None
    free: bool
    free_places: int | None  # None: no limit known
    places: bool = True       # capacity counted in places (one per person), else in units
    unit_short: str = ""      # the unit's short name for a pool: "godz.", "wizyta", ...
    address: str | None = None  # of the place: "Burzec 48, 21-407 Wojcieszków"
    at_home: bool = False     # delivered at the resident's home
    weekly: tuple = ()        # (weekday, opens, closes), Monday = 0
    schedule_note: str | None = None  # the catalogue's words on when, for services without weekly hours
    apply: str | None = None  # how to apply, the catalogue's words


@dataclass(frozen=True)
class NoticeCard:
    id: int
    text: str
    starts_at: datetime
    ends_at: datetime
    display: str = "full"  # full | banner


@dataclass(frozen=True)
class Centre:
    name: str
    address: str
    phone: str
    hours: str


@dataclass(frozen=True)
class Content:
    """A screen's choices."""

    today: bool = True
    upcoming: bool = True
    free_services: bool = True
    notices: bool = True
    seconds: int | None = None  # None: from the amount of text
    rules: opening.Rules = field(default_factory=lambda: opening.Rules((None,) * 7, always_on=True))


@dataclass(frozen=True)
class Inputs:
    content: Content
    centre: Centre
    occurrences: tuple = ()     # events.services.Occurrence from today 00:00 to the end of the window
    free_services: tuple = ()   # ServiceCard with free places
    chosen_services: tuple = ()  # ServiceCard chosen by staff
    notices: tuple = ()         # NoticeCard active now or starting within NOTICE_HORIZON
    event_url: object = None    # slug -> absolute URL
    service_url: object = None  # slug -> absolute URL
    calendar_url: str | None = None  # the public calendar, absolute
    test_seconds: float | None = None  # tests only: every slide this long


# --- output ------------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """A line (or a card) of "Dziś": an event of today."""

    when: str
    title: str
    where: str | None
    cancelled: bool
    expires: datetime
    summary: str | None = None
    facts: tuple = ()  # entry, registration: shown on a card


@dataclass(frozen=True)
class Slide:
    key: str       # stable across fetches: the browser keeps its place in the rotation
    kind: str      # today | upcoming | service | fallback | notice | banner
    heading: str
    seconds: float
    expires: datetime | None = None
    starts: datetime | None = None
    items: tuple = ()       # today
    facts: tuple = ()       # lines of detail
    when: str | None = None
    day: date | None = None  # upcoming: the local day, for the countdown
    countdown: str | None = None
    cancelled: bool = False
    summary: str | None = None
    qr: str | None = None   # <svg> markup
    qr_note: str | None = None
    numbers: tuple = ()     # fallback: emergency numbers
    layout: str = ""        # today: "cards" (a few events, each a big card) or "list"

    @property
    def digest(self):
        """A fingerprint of what the slide says (its key stays when an event
        of today is added or changed; this does not)."""
        content = (self.kind, self.heading, self.items, self.facts, self.when, self.countdown, self.cancelled,
                   self.summary, self.qr_note, self.numbers, self.layout)
        return hashlib.sha256(repr(content).encode()).hexdigest()[:12]

    @property
    def expires_ms(self):
        return _ms(self.expires)

    @property
    def starts_ms(self):
        return _ms(self.starts)


@dataclass(frozen=True)
class SlideSet:
    slides: tuple
    notices: tuple   # full screen
    fallback: Slide
    nights: tuple
    day: date
    countdowns: dict  # days ahead -> words, for the browser after midnight
    banners: tuple = ()  # notices alongside the slides

    def current(self, now):
        """What a browser holding this set shows at `now` while the screen is
        on (outside its hours the night wins over all of it): the active
        full-screen notices, or the rotation (fallback when it is empty)."""
        active = [n for n in self.notices if n.starts <= now < n.expires]
        if active:
            return active
        live = [s for s in self.slides if _valid(s, now)]
        return live or [self.fallback]

    def banners_at(self, now):
        return [b for b in self.banners if b.starts <= now < b.expires]

    @property
    def nights_data(self):
        return [[_ms(n.start), _ms(n.end), n.text] for n in self.nights]

    def all_slides(self):
        return (*self.slides, *self.notices, self.fallback)

    def find(self, key):
        return next((s for s in self.all_slides() if s.key == key), None)


def _ms(moment):
    return None if moment is None else int(moment.timestamp() * 1000)


def _valid(slide, now):
    if slide.expires is not None and slide.expires <= now:
        return False
    if slide.kind == "today":
        return any(item.expires > now for item in slide.items)
    return True


# --- wording -----------------------------------------------------------------------

def _locale():
    return str(get_locale() or "pl")


def countdown(days):
    """'dziś', 'jutro', 'za 3 dni'."""
    if days <= 0:
        return _("dziś")
    if days == 1:
        return _("jutro")
    return _("za %(days)d dni", days=days)


def _hm(moment):
    return opening.short_time(moment.astimezone(WARSAW).time())


def _span(occurrence):
    """'10:00–12:00', 'cały dzień', or with a later end day '10:00 – 18 października'."""
    start, end = occurrence.start.astimezone(WARSAW), occurrence.end.astimezone(WARSAW)
    last_day = (end - timedelta(microseconds=1)).date() if occurrence.all_day else end.date()
    if occurrence.all_day:
        if last_day > start.date():
            return _("cały dzień, do %(date)s", date=format_date(last_day, "d MMMM", locale=_locale()))
        return _("cały dzień")
    if end.date() > start.date():
        return f"{_hm(start)} – {format_date(end.date(), 'd MMMM', locale=_locale())} {_hm(end)}"
    return f"{_hm(start)}–{_hm(end)}"


def _where(occurrence):
    parts = [p for p in (occurrence.place_name, occurrence.room) if p]
    return ", ".join(parts) or None


def words_in(*texts):
    count = 0
    for text in texts:
        if text:
            count += len(str(text).split())
    return count


def seconds_for(words, chosen=None):
    """How long a slide stays: the screen's setting, or by the amount of text
    (about two words a second for an older reader, after a few seconds to
    find the slide), within 10-20 s."""
    if chosen:
        return chosen
    return max(MIN_SECONDS, min(MAX_SECONDS, 4 + math.ceil(words / 2)))


# --- slides --------------------------------------------------------------------------

def _local_midnight(day):
    return datetime.combine(day, time(0), WARSAW).astimezone(timezone.utc)


def _chunks(items, size):
    """Even chunks of at most `size`: 5 lines make 3 + 2, not 4 + 1."""
    if not items:
        return []
    count = math.ceil(len(items) / size)
    base, extra = divmod(len(items), count)
    chunks, start = [], 0
    for number in range(count):
        end = start + base + (1 if number < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def _today_slides(inputs, now, today):
    tomorrow = _local_midnight(today + timedelta(days=1))
    todays = [o for o in inputs.occurrences
              if o.start < tomorrow and o.end > now and o.start.astimezone(WARSAW).date() <= today]
    todays.sort(key=lambda o: (o.start, o.title))
    heading = _("Dziś, %(date)s", date=format_date(today, "EEEE, d MMMM", locale=_locale()))
    slides = []
    chunks = _chunks(todays, TODAY_PER_SLIDE)
    for number, chunk in enumerate(chunks, 1):
        cards = len(chunk) <= TODAY_CARDS
        items = tuple(Item(when=_span(o), title=o.title, where=_where(o), cancelled=o.cancelled,
                           expires=o.end.astimezone(timezone.utc),
                           summary=(o.summary or None) if cards else None,
                           facts=_event_facts(o, where=False) if cards else ()) for o in chunk)
        words = words_in(heading, *(f"{i.when} {i.title} {i.where or ''} {i.summary or ''} {' '.join(i.facts)}"
                                    for i in items))
        if len(chunk) == 1 and inputs.event_url:
            url, note = inputs.event_url(chunk[0].slug), _("Szczegóły: zeskanuj kod telefonem")
        else:
            url, note = inputs.calendar_url, _("Wszystkie wydarzenia: zeskanuj kod telefonem")
        slides.append(Slide(
            key=f"today-{today.isoformat()}-{number}", kind="today",
            heading=heading if len(chunks) == 1 else f"{heading} ({number}/{len(chunks)})",
            seconds=_seconds(inputs, words), expires=min(tomorrow, max(i.expires for i in items)),
            items=items, layout="cards" if cards else "list",
            qr=qr_svg(url) if url else None, qr_note=note if url else None))
    return slides


def _seconds(inputs, words):
    if inputs.test_seconds:
        return inputs.test_seconds
    return seconds_for(words, inputs.content.seconds)


def _event_facts(o, where=True):
    facts = []
    place = _where(o) if where else None
    if place:
        facts.append(place)
    if o.free:
        facts.append(_("Wstęp wolny"))
    elif o.price:
        facts.append(_("Odpłatność: %(price)s", price=o.price))
    if o.registration_needed:
        facts.append(_("Zapisy: tel. %(phone)s", phone=format_phone(o.registration_phone))
                     if o.registration_phone else _("Obowiązują zapisy"))
    return tuple(facts)


def _upcoming_slides(inputs, now, today):
    first = _local_midnight(today + timedelta(days=1))
    last = _local_midnight(today + timedelta(days=UPCOMING_DAYS + 1))
    seen = set()
    slides = []
    for o in sorted(inputs.occurrences, key=lambda o: (o.start, o.title)):
        if not (first <= o.start < last) or o.event_id in seen:
            continue  # each event once: its next date
        seen.add(o.event_id)
        day = o.start.astimezone(WARSAW).date()
        when = f"{format_date(day, 'EEEE, d MMMM', locale=_locale())}, {_span(o)}"
        facts = _event_facts(o)
        words = words_in(o.title, when, o.summary, *facts)
        url = inputs.event_url(o.slug) if inputs.event_url else None
        slides.append(Slide(
            key=f"event-{o.event_id}-{o.start.astimezone(timezone.utc):%Y%m%dT%H%M}", kind="upcoming",
            heading=o.title, seconds=_seconds(inputs, words), expires=o.end.astimezone(timezone.utc),
            when=when, day=day, countdown=countdown((day - today).days), cancelled=o.cancelled,
            summary=o.summary or None, facts=facts,
            qr=qr_svg(url) if url else None, qr_note=_("Szczegóły: zeskanuj kod telefonem") if url else None))
        if len(slides) >= MAX_UPCOMING:
            break
    return slides


# Plural weekday names, as a notice on a door says "wtorki i czwartki 10–12".
_WEEKDAYS_PLURAL = (
    _l("poniedziałki"), _l("wtorki"), _l("środy"), _l("czwartki"), _l("piątki"), _l("soboty"), _l("niedziele"),
)


def _days_text(days):
    days = sorted(days)
    if days == list(range(7)):
        return _("codziennie")
    if days == list(range(5)):
        return _("od poniedziałku do piątku")
    if days == list(range(6)):
        return _("od poniedziałku do soboty")
    names = [str(_WEEKDAYS_PLURAL[d]) for d in days]
    if len(names) == 1:
        return names[0]
    return _("%(days)s i %(last)s", days=", ".join(names[:-1]), last=names[-1])


def weekly_text(weekly):
    """'wtorki i czwartki, 10:00–12:00; soboty, 9:00–13:00', or None when the
    hours are too many for a slide (the QR code leads to all of them)."""
    groups = {}
    for weekday, opens, closes in sorted(weekly, key=lambda r: (r[0], r[1], r[2])):
        groups.setdefault((opens, closes), []).append(weekday)
    if not groups or len(groups) > MAX_WEEKLY_GROUPS:
        return None
    ordered = sorted(groups.items(), key=lambda g: (min(g[1]), g[0]))
    return "; ".join(f"{_days_text(days)}, {opening.short_time(opens)}–{opening.short_time(closes)}"
                     for (opens, closes), days in ordered)


def _places_fact(card):
    if card.free_places is None:
        return None
    if card.free_places <= 0:
        return _("Obecnie brak wolnych miejsc")
    if card.places or not card.unit_short:
        return ngettext("%(num)d wolne miejsce", "%(num)d wolnych miejsc", card.free_places)
    # A pool (hours of care, visits): its size says nothing to a resident.
    return _("Przyjmujemy nowe zgłoszenia")


def _service_slide(inputs, card):
    facts = []
    places = _places_fact(card)
    if places:
        facts.append(places)
    when = weekly_text(card.weekly) or card.schedule_note
    if when:
        facts.append(_("Kiedy: %(when)s", when=when))
    where = [", ".join(p for p in (card.place, card.address) if p)] if card.place else []
    if card.at_home:
        where.append(_("w domu mieszkańca"))
    if where:
        facts.append(_("Gdzie: %(where)s", where="; ".join(where)))
    if card.apply:
        facts.append(_("Jak się zgłosić: %(how)s", how=card.apply))
    if inputs.centre.phone:
        facts.append(_("Informacja: tel. %(phone)s", phone=format_phone(inputs.centre.phone)))
    facts.append(_("Bezpłatna") if card.free else _("Odpłatna"))
    url = inputs.service_url(card.slug) if inputs.service_url else None
    words = words_in(card.name, *facts)
    return Slide(key=f"service-{card.id}", kind="service", heading=card.name,
                 seconds=_seconds(inputs, words), facts=tuple(facts),
                 qr=qr_svg(url) if url else None, qr_note=_("Jak skorzystać: zeskanuj kod telefonem") if url else None)


def _service_slides(inputs):
    cards = list(inputs.chosen_services)  # the staff's choice first
    seen = set()
    if inputs.content.free_services:
        cards += [c for c in inputs.free_services if c.free_places][:MAX_FREE_SERVICES]
    slides = []
    for card in cards:
        if card.id in seen:
            continue
        seen.add(card.id)
        slides.append(_service_slide(inputs, card))
        if len(slides) >= MAX_SERVICES:
            break
    return slides


def fallback_slide(inputs):
    centre = inputs.centre
    facts = tuple(f for f in (centre.address, centre.hours and _("Godziny pracy: %(hours)s", hours=centre.hours),
                              centre.phone and _("Telefon: %(phone)s", phone=format_phone(centre.phone))) if f)
    numbers = tuple((number, str(label)) for number, label in EMERGENCY)
    return Slide(key="fallback", kind="fallback", heading=centre.name, facts=facts, numbers=numbers,
                 seconds=_seconds(inputs, words_in(centre.name, *facts) + 8))


def _notice_slides(inputs, now, display):
    if not inputs.content.notices:
        return []
    slides = []
    for n in sorted(inputs.notices, key=lambda n: (n.starts_at, n.id)):
        if n.ends_at <= now or n.starts_at > now + NOTICE_HORIZON or n.display != display:
            continue
        slides.append(Slide(key=f"{'banner' if display == 'banner' else 'notice'}-{n.id}",
                            kind="banner" if display == "banner" else "notice", heading=_("Ważny komunikat"),
                            summary=n.text, starts=n.starts_at.astimezone(timezone.utc),
                            expires=n.ends_at.astimezone(timezone.utc),
                            seconds=_seconds(inputs, words_in(n.text) + 2)))
    return slides


def build(inputs, now):
    """The slide set a screen holds from `now` (aware) on."""
    today = now.astimezone(WARSAW).date()
    slides = []
    if inputs.content.today:
        slides += _today_slides(inputs, now, today)
    if inputs.content.upcoming:
        slides += _upcoming_slides(inputs, now, today)
    slides += _service_slides(inputs)
    return SlideSet(
        slides=tuple(slides),
        notices=tuple(_notice_slides(inputs, now, "full")),
        banners=tuple(_notice_slides(inputs, now, "banner")),
        fallback=fallback_slide(inputs),
        nights=tuple(opening.nights(inputs.content.rules, now)),
        day=today,
        countdowns={str(days): countdown(days) for days in range(0, UPCOMING_DAYS + 2)},
    )
