"""The demo's contracts (issue 15 §2): Wojcieszków contracted 7 services to
2 NGOs for 2 021 928,40 zł through open competitions — the senior clubs and
the community centre to Stowarzyszenie Rozwoju Gminy Wojcieszków, home care,
respite and personal assistance to Spółdzielnia Socjalna „Wojcieszkowianka”
— and a small workshop commissioned without competition (art. 19a) that
ends within 60 days of the demo's day."""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from ..auth.models import Role, User
from ..catalogue.models import Provider, Service
from ..contracts import services as contracts
from ..contracts.models import Contract
from ..timeutil import local_now

CALL = "Otwarty konkurs ofert nr 1/2026 (zarządzenie Wójta Gminy Wojcieszków nr 112/2025)"
COMPETITIONS = (
    dict(number="CUS.526.1.2026", provider="Stowarzyszenie Rozwoju Gminy Wojcieszków", amount="1146520.00",
         services=(("Klub Seniora w Bęczkowie", "208", "262080.00"),
                   ("Klub Seniora w Wojcieszkowie", "208", "262080.00"),
                   ("Klub Seniora w Świderkach", "208", "262080.00"),
                   ("Świetlica socjoterapeutyczna w Bęczkowie", "480", "360280.00"))),
    dict(number="CUS.526.2.2026", provider="Spółdzielnia Socjalna „Wojcieszkowianka”", amount="875408.40",
         services=(("Pakiet Opieka Plus", "6000", "437704.20"), ("Usługa wytchnieniowa", "2400", "175081.68"),
                   ("Asystent osobisty osoby z niepełnosprawnością", "4800", "262622.52"))),
)
SMALL = dict(number="CUS.526.7.2026", provider="Koło Gospodyń Wiejskich „Burzecanki” w Burzcu", amount="9600.00",
             services=(("Warsztaty rękodzieła i kuchni regionalnej", "24", "9600.00"),))


def _lines(session, provider, names):
    lines = []
    for name, volume, amount in names:
        service_id = session.scalar(select(Service.id).where(Service.name == name, Service.provider_id == provider.id))
        if service_id is not None:
            lines.append((service_id, Decimal(volume), Decimal(amount)))
    return lines


def seed_contracts(session):
    """The demo's contracts when there are none; the counts (None when nothing was added)."""
    if session.scalar(select(func.count(Contract.id))):
        return None
    organiser = session.scalar(select(User).where(User.role == Role.SERVICES_ORGANISER).order_by(User.id))
    today = local_now().date()
    made = 0
    for spec in COMPETITIONS:
        provider = session.scalar(select(Provider).filter_by(name=spec["provider"]))
        lines = _lines(session, provider, spec["services"]) if provider else []
        if not lines:
            continue
        contracts.create(session, {
            "number": spec["number"], "provider_id": provider.id, "mode": "open_competition", "reference": CALL,
            "reference_date": date(2025, 11, 14), "starts_on": date(2026, 1, 1), "ends_on": date(2027, 12, 31),
            "amount": Decimal(spec["amount"]), "notes": "", "lines": lines}, actor=organiser)
        made += 1
    provider = session.scalar(select(Provider).filter_by(name=SMALL["provider"]))
    lines = _lines(session, provider, SMALL["services"]) if provider else []
    if lines:
        ends = today + timedelta(days=45)
        contracts.create(session, {
            "number": SMALL["number"], "provider_id": provider.id, "mode": "simplified",
            "reference": "Oferta realizacji zadania publicznego w trybie art. 19a", "reference_date": ends - timedelta(
                days=95), "starts_on": ends - timedelta(days=89), "ends_on": ends, "amount": Decimal(SMALL["amount"]),
            "notes": "", "lines": lines}, actor=organiser)
        made += 1
    return {"contracts": made} if made else None
