"""Demo complaints and requests (skargi i wnioski): eight matters of the
last months in their various states — one overdue, one extended, one
answered with a letter, one about a staff member, one anonymous — dated
relative to today, so the states hold whenever the demo is made. The people
are fictitious; services and providers come from the demo catalogue."""
from datetime import timedelta

from sqlalchemy import func, select

from ..auth.models import User
from ..catalogue.models import Provider, Service
from ..complaints import services as complaints
from ..complaints.models import Complaint
from ..timeutil import local_now
from .clock import on_day

# (days ago, fields, steps): steps are what happened after, in order.
SPECS = (
    # Overdue: received five weeks ago, assigned, no answer yet.
    (36, dict(kind="complaint", channel="phone", complainant_name="Halina Wiśniewska",
              complainant_contact="Bęczków 14, 21-407 Wojcieszków; tel. 601 234 567", subject="service",
              service="Pakiet Opieka Plus",
              description="Opiekunka dwa razy w ostatnim miesiącu nie przyszła w umówionym dniu i nikt mnie "
                          "nie uprzedził."),
     [("assign", "koordynator")]),
    # Extended: the provider's explanations are awaited.
    (27, dict(kind="complaint", channel="letter", complainant_name="Zbigniew Malinowski",
              complainant_contact="ul. Polna 7, 21-407 Wojcieszków", subject="provider",
              provider="Przedsiębiorstwo Przewozowe „Trans-Wojcieszków” Sp. z o.o.",
              description="Kierowca busa nie pomógł mi wsiąść z balkonikiem, a kurs na rehabilitację spóźnił "
                          "się 40 minut."),
     [("assign", "organizator"),
      ("extend", 20, "Czekamy na wyjaśnienia przewoźnika i zapis z rejestratora jazdy.")]),
    # Answered with a letter, a follow-up action done.
    (50, dict(kind="complaint", channel="email", complainant_name="Teresa Kowalczyk",
              complainant_contact="t.kowalczyk@poczta.example.pl", subject="service",
              service="Klub Seniora w Bęczkowie",
              description="Zajęcia w klubie odwołano trzy razy bez informacji na tablicy ogłoszeń."),
     [("assign", "organizator"),
      ("answer", 20, "upheld", "Przepraszamy. Od przyszłego miesiąca każde odwołanie zajęć ogłaszamy na "
                               "tablicy w świetlicy, na stronie centrum i SMS-em do uczestników."),
      ("action", "Informowanie uczestników klubów o odwołanych zajęciach SMS-em", "organizator", 18),
      ("close",)]),
    # About a staff member: hidden from them.
    (12, dict(kind="complaint", channel="in_person", complainant_name="Ryszard Zieliński",
              complainant_contact="Zofibór 3, 21-407 Wojcieszków", subject="staff", staff_member="koordynator",
              description="Koordynatorka nie oddzwoniła w sprawie planu, mimo dwóch próśb."),
     [("assign", "dyrektor")]),
    # Anonymous, from the contact form.
    (9, dict(kind="complaint", channel="web_form", anonymous=True, subject="other",
             description="W poczekalni centrum jest za mało krzeseł, starsze osoby stoją."),
     []),
    # A request, granted.
    (60, dict(kind="request", channel="epuap", complainant_name="Stowarzyszenie Rozwoju Gminy Wojcieszków",
              complainant_contact="ePUAP: /srgw/skrytka", subject="other",
              description="Wnosimy o uruchomienie zajęć na tabletach dla seniorów także w Bęczkowie."),
     [("assign", "animator"),
      ("answer", 35, "upheld", "Zajęcia ruszą w świetlicy w Bęczkowie po wakacjach, we wtorki o 10:00."),
      ("close",)]),
    # A request, refused but not yet closed.
    (22, dict(kind="request", channel="letter", complainant_name="Marianna Wójcik",
              complainant_contact="Wólka Domaszewska 22, 21-407 Wojcieszków", subject="service",
              service="Transport door-to-door",
              description="Proszę o kursy busa także w soboty, na targ w Łukowie."),
     [("assign", "organizator"),
      ("answer", 5, "rejected", "Przewoźnik nie ma w soboty kierowcy; w budżecie na ten rok nie ma środków "
                                "na dodatkowe kursy. Wrócimy do wniosku przy planie na przyszły rok.")]),
    # Just received, waiting for the director.
    (2, dict(kind="complaint", channel="phone", complainant_name="Józef Nowicki",
             complainant_contact="tel. 512 345 678", subject="service", service="Usługa wytchnieniowa",
             description="Nie mogę się dodzwonić do realizatora usługi wytchnieniowej od tygodnia."),
     []),
)


def seed_complaints(session):
    """The demo complaints when there are none (flushed, not committed). Returns the counts."""
    if session.scalar(select(func.count(Complaint.id))):
        return {}
    users = {u.username: u for u in session.scalars(select(User))}
    if "dyrektor" not in users or "recepcja" not in users:
        return {}
    services = {s.name: s for s in session.scalars(select(Service))}
    providers = {p.name: p for p in session.scalars(select(Provider))}
    director, desk = users["dyrektor"], users["recepcja"]
    today = local_now().date()
    created = 0
    for days_ago, fields, steps in SPECS:
        fields = dict(fields)
        service = services.get(fields.pop("service", None))
        provider = providers.get(fields.pop("provider", None))
        member = users.get(fields.pop("staff_member", None))
        if fields["subject"] == "service" and service is None or fields["subject"] == "provider" and provider is None:
            fields["subject"] = "other"
        received = today - timedelta(days=days_ago)
        data = {**fields, "received_on": received, "service_id": getattr(service, "id", None),
                "provider_id": getattr(provider, "id", None), "staff_member_id": getattr(member, "id", None)}
        with on_day(received):
            complaint = complaints.register(session, data, actor=None if fields["channel"] == "web_form" else desk,
                                            today=received)
        for step in steps:
            _apply(session, complaint, step, users, director, today)
        created += 1
    session.flush()
    return {"complaints and requests": created}


def _apply(session, complaint, step, users, director, today):
    kind = step[0]
    if kind == "assign":
        with on_day(complaint.received_on + timedelta(days=1)):
            complaints.assign(session, complaint, users[step[1]].id, actor=director)
        return
    worker = complaint.handler or director
    if kind == "extend":
        day = complaint.received_on + timedelta(days=step[1])
        with on_day(day):
            complaints.extend(session, complaint, {"extended_until": complaint.due + timedelta(days=30),
                                                   "extension_reason": step[2], "extension_notice_on": day},
                              actor=worker)
    elif kind == "answer":
        day = complaint.received_on + timedelta(days=step[1])
        with on_day(day):
            complaints.answer(session, complaint, {"outcome": step[2], "answered_on": day, "answer_text": step[3]},
                              actor=worker, today=day)
    elif kind == "action":
        day = min(complaint.received_on + timedelta(days=step[3] + 5), today)
        with on_day(day):
            action = complaints.add_action(session, complaint, {"text": step[1],
                                                                "responsible_id": users[step[2]].id}, actor=worker)
            complaints.action_done(session, action, day, actor=worker, today=day)
    elif kind == "close":
        with on_day(min(complaint.answered_on + timedelta(days=7), today)):
            complaints.close(session, complaint, actor=worker)
