"""flask demo ensure|seed"""
import click
from flask import current_app
from flask.cli import AppGroup

from ..auth.services import ensure_demo_users
from ..catalogue.models import Service
from ..extensions import db
from ..residents.models import Resident
from .applications import seed_applications
from .assessments import seed_assessments
from .casework import seed_casework
from .catalogue import seed_catalogue
from .complaints import seed_complaints
from .contracts import seed_contracts
from .delivery_entries import seed_delivery_entries
from .delivery_sessions import seed_sessions
from .events import seed_events
from .people import seed_people
from .plans import seed_plans
from .proposals import seed_proposals
from .providers import ensure_provider_account
from .quality import seed_quality
from .screens import ensure_demo_screens

demo_cli = AppGroup("demo", help="Demo data (development only).")


def _require_demo_mode():
    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException("Demo data is only for demo mode; this is production.")


@demo_cli.command("ensure")
def ensure_command():
    """On first start in demo mode: demo users and a seeded catalogue."""
    if not current_app.config["DEMO_MODE"]:
        click.echo("Production mode: no demo data.")
        return
    created = ensure_demo_users()
    if created:
        click.echo(f"Demo users: {', '.join(u.username for u in created)} (password demo-cus).")
    if db.session.scalar(db.select(db.func.count()).select_from(Service)) == 0:
        counts = seed_catalogue(db.session)
        click.echo(f"Demo catalogue: {counts}.")
    db.session.flush()
    if ensure_provider_account(db.session):
        click.echo("Demo provider login: realizator (password demo-cus).")
    if db.session.scalar(db.select(db.func.count()).select_from(Resident)) == 0:
        counts = seed_people(db.session)
        click.echo(f"Demo residents and requests: {counts}.")
    # The case documents follow the people, one kind after the other; each
    # seeder adds only what is missing and says what it added.
    for label, seed in (("Demo needs assessments", seed_assessments), ("Demo plans", seed_plans),
                        ("Demo monitoring and closures", seed_casework), ("Demo events", seed_events),
                        ("Demo surveys, standards and checks", seed_quality),
                        ("Demo group sessions and head counts", seed_sessions),
                        ("Demo individual deliveries and consultations", seed_delivery_entries),
                        ("Demo complaints and requests", seed_complaints),
                        ("Demo contracts with providers", seed_contracts),
                        ("Demo provider applications", seed_applications),
                        ("Demo providers' proposals", seed_proposals)):
        counts = seed(db.session)
        if counts:
            click.echo(f"{label}: {counts}.")
    if ensure_demo_screens(db.session):
        click.echo("Demo kiosk screens: /kiosk/demo-ekran-hol-calodobowy, /kiosk/demo-ekran-biuro-pn-pt.")
    db.session.commit()


@demo_cli.command("seed")
def seed_command():
    """Seed the demo catalogue into an empty database."""
    _require_demo_mode()
    if db.session.scalar(db.select(db.func.count()).select_from(Service)):
        raise click.ClickException("The catalogue is not empty.")
    ensure_demo_users()
    counts = seed_catalogue(db.session)
    db.session.flush()
    ensure_provider_account(db.session)
    db.session.commit()
    click.echo(f"Demo catalogue: {counts}.")
