"""Reference lists seeded by migrations (the migration keeps its own copy:
a migration must not change when this file does)."""

# Art. 2(1) of the act on social services provided by a CUS.
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
