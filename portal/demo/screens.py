"""The two demo screens, with fixed tokens so that the README can give their
addresses (demo mode only: production screens get random tokens)."""
from sqlalchemy import select

from kiosk.models import Screen

from ..catalogue.models import Place, Service

OFFICE_HOURS = "07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,,"
DEMO_SCREENS = (
    # token, name, always on, hours
    ("demo-ekran-hol-calodobowy", "Hol — parter (całą dobę)", True, OFFICE_HOURS),
    ("demo-ekran-biuro-pn-pt", "Biuro Obsługi Klienta (pn–pt 7:30–15:30)", False, OFFICE_HOURS),
)
CHOSEN_SERVICE = "Wypożyczalnia sprzętu rehabilitacyjnego"


def ensure_demo_screens(session):
    """Create the demo screens that are missing; returns how many were created."""
    place = session.scalar(select(Place).where(Place.name == "Centrum Usług Społecznych w Wojcieszkowie"))
    chosen = session.scalars(select(Service).where(Service.name.startswith(CHOSEN_SERVICE))).all()
    created = 0
    for token, name, always_on, hours in DEMO_SCREENS:
        if session.scalar(select(Screen.id).where(Screen.token == token)) is not None:
            continue
        screen = Screen(token=token, name=name, always_on=always_on, hours=hours, place=place)
        screen.services = list(chosen)
        session.add(screen)
        created += 1
    session.flush()
    return created
