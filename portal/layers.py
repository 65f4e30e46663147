"""The layers of the portal, from the base up: the one declaration of what may
import what (issue 11). tests/core/test_layers.py reads every module under
portal/ and kiosk/ (imports inside functions too) and fails on an import from
a lower layer into a higher one, on an import between two packages of the
same layer that ALLOWED does not name, on any import cycle between packages,
and on a package or module that is not named here.

A name is a package or a module directly under portal/ ("portal.desk",
"portal.text"), the application package itself ("portal": portal/__init__.py,
create_app) or the kiosk ("kiosk", a top-level folder next to portal/). A
module inside a package belongs to its package: portal/desk/views.py is
"portal.desk".

A package may import any package of a lower layer. When a lower layer needs
something only a higher one knows (which requests a person has, whether a
case still runs), it calls a hook in portal/core/hooks.py and the higher
feature answers it.

Plain data: no imports, so that anything may read it.
"""

# (name, packages), from the base up.
LAYERS = (
    # Imports nothing of the portal: the extensions, the clock, pure
    # validators, the Polish order, request guards, small page helpers.
    ("ground", frozenset({
        "portal.layers", "portal.extensions", "portal.timeutil", "portal.validation", "portal.text",
        "portal.database", "portal.logs", "portal.input_guard", "portal.security", "portal.confirm",
        "portal.fragments", "portal.pdf", "portal.public_urls", "portal.qr",
    })),
    # Shared services every feature uses: dates and plurals, htmx regions, rate
    # limits, submission keys, the audit trail.
    ("shared", frozenset({"portal.i18n", "portal.web", "portal.ratelimit", "portal.submissions", "portal.audit"})),
    # The domain's base: errors, forms, deadlines, pagination, hooks (no
    # database, no app: tests/core/test_layers.py holds it to less still).
    # Beside it, the public forms' spam guard (a time token carrying a
    # submission key, the honeypot; the contact form and the providers' registration).
    ("core", frozenset({"portal.core", "portal.public_form"})),
    # Who is signed in and what a role may do; the error pages.
    ("platform", frozenset({"portal.auth", "portal.errors"})),
    # The offer: services, providers, places, their schedules and search.
    ("offer", frozenset({"portal.catalogue"})),
    # The people the centre serves, and what is built on the offer alone:
    # events, the organiser's management of the catalogue, the register of
    # complaints and requests (about services, providers and staff), the
    # quality of the services (surveys, standards, checks of providers).
    ("people", frozenset({"portal.residents", "portal.events", "portal.manage", "portal.complaints",
                          "portal.quality"})),
    # The one window (requests of people about services) and the public
    # screens (the offer and the events).
    ("window", frozenset({"portal.desk", "kiosk", "portal.api"})),
    # The needs assessment of a request; staff accounts (coordinators by
    # village, which the desk's routing reads).
    ("assessment", frozenset({"portal.assessment", "portal.accounts"})),
    # Individual plans, single grants, waiting lists: drawn from assessments.
    ("plans", frozenset({"portal.plans"})),
    # What was delivered: group sessions and attendance, individual services
    # per person, consultations, events' head counts; delivered against planned.
    ("delivery", frozenset({"portal.delivery"})),
    # The coordinator's desk, monitoring and closure: sees every case document.
    ("casework", frozenset({"portal.casework"})),
    # The providers in the portal (issue 15): organisations that register
    # themselves, their own accounts' pages (profile, their services and
    # participants), their proposed changes to the catalogue, and the
    # centre's contracts with them (delivered against contracted).
    ("partners", frozenset({"portal.applications", "portal.providers", "portal.proposals", "portal.contracts"})),
    # What puts the features together: every model for SQLAlchemy and Alembic,
    # the start pages, the demo data, backups, the navigation and filters.
    ("assembly", frozenset({"portal.models", "portal.main", "portal.demo", "portal.backup", "portal.templating",
                            "portal.reports"})),
    # create_app(): registers every blueprint and command.
    ("application", frozenset({"portal"})),
)

# (importer, imported) pairs of the same layer that may import each other.
# Keep it empty: put what two features share in a lower layer, or a hook.
ALLOWED = frozenset()
