"""The demo's waiting proposals of `realizator` (Stowarzyszenie Rozwoju Gminy
Wojcieszków, issue 15 §1): a change to one of its senior clubs and a new
service, for the organiser's review queue. Made once, through the
proposals' own operations."""
from datetime import time

from sqlalchemy import func, select

from ..auth.models import User
from ..catalogue.models import Service
from ..manage import services as catalogue
from ..proposals import services as proposals
from ..proposals.models import Proposal
from .providers import PROVIDER_LOGIN


def seed_proposals(session):
    """{kind: count} of the proposals made now; {} when there are some already
    or the demo provider's login is missing."""
    if session.scalar(select(func.count()).select_from(Proposal)):
        return {}
    user = session.scalar(select(User).filter_by(username=PROVIDER_LOGIN))
    if user is None or user.provider_id is None:
        return {}
    made = {}
    club = session.scalar(select(Service).filter_by(name="Klub Seniora w Bęczkowie", provider_id=user.provider_id))
    if club is not None:
        data = catalogue.service_data(club)
        data["schedule_rules"] = data["schedule_rules"] + [
            {"weekday": 4, "opens": time(10), "closes": time(12), "valid_from": None, "valid_to": None,
             "label": "Gimnastyka dla seniorów"}]
        data["application_process"] = ("Zapisy u animatorki klubu, tel. 501 200 301, albo w świetlicy "
                                       "w godzinach zajęć.")
        proposals.propose_change(session, club, data, actor=user, base_version=club.version)
        made["change"] = 1
    new = catalogue.service_defaults()
    new.update(name="Warsztaty rękodzieła dla seniorów", unit="meeting", areas=["culture"],
               target_groups=["seniors"], minimum_age=60,
               description="Szydełkowanie, haft i wyroby z wikliny raz w tygodniu; materiały zapewnia stowarzyszenie.",
               application_process="Zapisy w Klubie Seniora w Bęczkowie.",
               schedule_rules=[{"weekday": 2, "opens": time(15), "closes": time(17), "valid_from": None,
                                "valid_to": None, "label": None}])
    proposals.propose_new(session, new, actor=user)
    made["new"] = 1
    return made
