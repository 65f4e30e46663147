"""reference data: statutory areas, target groups, catalogue version row

Revision ID: 0002_reference_data
Revises: 0001_foundation
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_reference_data"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

# Art. 2(1) of the act on social services provided by a CUS. A copy, not an
# import: this migration must stay as it was when it ran.
AREAS = (
    ("family_policy", "Polityka prorodzinna"),
    ("family_support", "Wspieranie rodziny"),
    ("foster_care", "System pieczy zastępczej"),
    ("social_assistance", "Pomoc społeczna"),
    ("health", "Promocja i ochrona zdrowia"),
    ("disability", "Wspieranie osób niepełnosprawnych"),
    ("education", "Edukacja publiczna"),
    ("unemployment", "Przeciwdziałanie bezrobociu"),
    ("culture", "Kultura"),
    ("sport_tourism", "Kultura fizyczna i turystyka"),
    ("civic_activity", "Pobudzanie aktywności obywatelskiej"),
    ("housing", "Mieszkalnictwo"),
    ("environment", "Ochrona środowiska"),
    ("reintegration", "Reintegracja zawodowa i społeczna"),
)

TARGET_GROUPS = (
    ("seniors", "Seniorzy (60+)"),
    ("disabled", "Osoby z niepełnosprawnościami"),
    ("health_problems", "Osoby z problemami zdrowotnymi"),
    ("carers", "Opiekunowie osób zależnych"),
    ("families_in_crisis", "Rodziny w kryzysie"),
    ("addicted", "Osoby uzależnione i współuzależnione"),
    ("children_youth", "Dzieci i młodzież"),
    ("families", "Rodziny z dziećmi"),
    ("unemployed", "Osoby bezrobotne"),
    ("mental_health", "Osoby w kryzysie zdrowia psychicznego"),
    ("community", "Społeczność lokalna (wszyscy)"),
)


def upgrade():
    area = sa.table("area", sa.column("code"), sa.column("name"), sa.column("position"))
    group = sa.table("target_group", sa.column("code"), sa.column("name"), sa.column("position"))
    version = sa.table("catalogue_version", sa.column("id"), sa.column("value"))
    op.bulk_insert(area, [{"code": c, "name": n, "position": i} for i, (c, n) in enumerate(AREAS)])
    op.bulk_insert(group, [{"code": c, "name": n, "position": i} for i, (c, n) in enumerate(TARGET_GROUPS)])
    op.bulk_insert(version, [{"id": 1, "value": 0}])


def downgrade():
    op.execute("DELETE FROM catalogue_version")
    op.execute("DELETE FROM target_group")
    op.execute("DELETE FROM area")
