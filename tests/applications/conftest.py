"""Factories for the providers' applications: a typical application's data, as the service takes it and as
the public form posts it."""
from datetime import datetime

import pytest

from portal.timeutil import WARSAW

# A Tuesday in autumn 2026.
NOW = datetime(2026, 10, 13, 10, 0, tzinfo=WARSAW)

# Valid identifiers (the checksums hold).
NIP = "5372650116"
REGON = "061234561"
KRS = "0000123456"

SERVICE = {"name": "Warsztaty kulinarne dla seniorów", "description": "Raz w tygodniu gotujemy razem w świetlicy.",
           "target_group": "seniorzy", "area": "Bęczków, Wojcieszków"}

DATA = {
    "name": "Fundacja „Razem w Bęczkowie”", "legal_form": "fundacja", "provider_type": "foundation",
    "nip": NIP, "regon": REGON, "krs": KRS, "address_1": "ul. Szkolna 3", "postal_code": "21-407",
    "city": "Wojcieszków", "website": "https://razem.example.pl",
    "contact_name": "Grażyna Wróblewska", "contact_email": "g.wroblewska@razem.example.pl",
    "contact_phone": "601 234 567",
    "experience": "Od 2015 roku prowadzimy zajęcia dla seniorów i dzieci w gminie.",
    "proposed_services": [SERVICE], "premises": "Świetlica przy ul. Szkolnej 3, parter.",
    "accessibility": ["step_free", "accessible_toilet"], "staff_count": 4,
    "staff_qualifications": "Dwie opiekunki środowiskowe, instruktor terapii zajęciowej.",
}


def form_data(**changes):
    """The public form's fields for DATA (changes by field name)."""
    fields = {name: value for name, value in DATA.items() if name not in ("proposed_services", "accessibility")}
    fields["staff_count"] = str(fields["staff_count"])
    fields["homepage"] = fields.pop("website")
    for name, value in SERVICE.items():
        fields[f"services-0-{name}"] = value
    fields.update(changes)
    pairs = [(name, value) for name, value in fields.items() if value is not None]
    pairs += [("accessibility", code) for code in DATA["accessibility"]]
    return pairs


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


@pytest.fixture
def make_application(app, frozen):
    """A sent application (DATA with `changes`), committed."""
    from portal.applications import services as applications
    from portal.extensions import db

    def make(**changes):
        application = applications.submit(db.session, {**DATA, **changes})
        db.session.commit()
        return application

    return make
