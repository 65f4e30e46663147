"""Named hooks: where a lower layer asks a question only a higher one can
answer, without importing it (portal/layers.py).

The lower feature calls the hook; the higher features register receivers on
it when they are imported (`portal/<feature>/hooks.py`, imported by the
feature's `__init__.py`, which create_app imports with its blueprint). A call
runs every receiver at once, synchronously, in the caller's transaction
(receivers get the caller's session and never commit), and returns what each
answered, in a fixed order: receivers of lower layers first, then in the
order they were registered. Nothing is queued or deferred; for what should
happen after a commit, this is the wrong tool.

Register a receiver:

    # portal/desk/hooks.py
    from ..core import hooks

    @hooks.person_card.connect
    def _requests(session, resident, viewer):
        return {"requests": ...}

    # portal/desk/__init__.py
    from . import hooks, views  # noqa: E402,F401

Add a hook: declare it below with what it is asked, what a receiver returns
and who calls and answers it, and call it from the lower feature.
"""
from .. import layers

__all__ = [
    "Hook", "registered_names", "assigned_residents", "resident_merged", "person_card", "case_running",
    "case_handed_over", "start_notices",
]


def _rank(module):
    """The index of the layer a module belongs to (portal/layers.py); past the
    last for a module that is not declared (a test's receiver)."""
    for index, (_name, packages) in enumerate(layers.LAYERS):
        for package in packages:
            if module == package or (package != "portal" and module.startswith(package + ".")):
                return index
    return len(layers.LAYERS)


class Hook:
    """A named extension point: `connect` a receiver, `call` them all."""

    def __init__(self, name, doc):
        self.name = name
        self.__doc__ = doc
        self._receivers = []

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"

    def connect(self, receiver):
        """Register `receiver` (usable as a decorator). Registering the same
        function again (a module imported twice) keeps one."""
        key = (receiver.__module__, receiver.__qualname__)
        self._receivers = [r for r in self._receivers if (r.__module__, r.__qualname__) != key]
        self._receivers.append(receiver)
        return receiver

    def disconnect(self, receiver):
        self._receivers = [r for r in self._receivers if r is not receiver]

    @property
    def receivers(self):
        """The receivers in call order: by layer, then as registered."""
        order = {id(r): i for i, r in enumerate(self._receivers)}
        return sorted(self._receivers, key=lambda r: (_rank(r.__module__), order[id(r)]))

    def call(self, *args, **kwargs):
        """Every receiver's answer, in call order."""
        return [receiver(*args, **kwargs) for receiver in self.receivers]


registered_names = Hook("registered_names", """\
Which of `words` are a first or last name of someone in the residents register.

Called by the catalogue when it writes a batch of search counts
(catalogue.services): a word that names a registered person is personal
data and is not kept.
Receivers: `(session, words)` with `words` a list of folded words; return
the set of those words that are names. Answered by residents.""")

assigned_residents = Hook("assigned_residents", """\
When is a resident "assigned" to a coordinator: which people a coordinator may see.

Called by residents.access (is_assigned, visible_residents; assessments and
plans judge through them). Receivers: `(user, resident_id)` with
`resident_id` a value or a column (Resident.id, to filter a query); return a
SQL condition, true when the person is the user's. A person is assigned when
any condition holds; with no receiver, nobody is. Answered by the desk: some
request of the person has the user as its coordinator.""")

resident_merged = Hook("resident_merged", """\
A duplicate record `drop` is being merged into `keep`: move what refers to it.

Called by residents.services.merge_residents before it points every other
row with a foreign key to the person at the kept record (a plain UPDATE).
Receivers: `(session, keep, drop)`; move the rows whose loaded objects must
see the move (through the ORM) and return {table name: rows moved}; the
register leaves those tables alone and writes the counts in the audit trail
("request": the requests moved). Answered by the desk (requests) and the
delivery register (moves its data version; moves no row itself).""")

person_card = Hook("person_card", """\
What other features show on a person's card and in the GDPR access report.

Called by residents.views for both pages. Receivers: `(session, resident,
viewer)` (`viewer` the signed-in user); return a dict of template values,
which the residents templates read: `requests`, `request_kinds`,
`request_statuses` (the desk: the person's requests, newest first, and the
labels of their kinds and statuses); `may_assess` (the assessment: the
viewer may start an assessment from the card). The register's defaults:
no requests, and no assessment button.""")

case_running = Hook("case_running", """\
Does the case of a request closed at the desk still run?

Called by desk.services.case_running (the director may hand a running case
to another coordinator). Receivers: `(session, request)`; return True when
something of the case still runs. Answered by plans: a plan not yet closed
or cancelled, or a single service still granted.""")

case_handed_over = Hook("case_handed_over", """\
A request is handed to another coordinator: the case's documents follow it.

Called by desk.services.assign in the same transaction, after the request
has its new coordinator. Receivers: `(session, request, coordinator,
actor)`; point the request's documents at `coordinator`, each move in the
audit log (desk.services.hand_over does one model), and return {what: [ids
moved]}: the audit event of the assignment lists them under "handed_over".
Answered by the assessment ("assessments") and plans ("plans").""")

start_notices = Hook("start_notices", """\
What a signed-in user is reminded of at the top of their start page.

Called by main.start (start_notices) for the dashboard; main and the
reports share the assembly layer and neither imports the other. Receivers:
`(session, user, today)` with `today` the Warsaw day; return a list of
notices, each a dict {"text": the Polish text (lazy), "endpoint": the page
that deals with it, "args": its URL values} — words and links only, never a
person. Answered by the reports (the services organiser's duties: a
half-year without a sent summary of the plans, a meeting with the
coordinators due; a summary waiting for the director's or the community
organiser's confirmation); the contracts (the services organiser's
contracts ending within 60 days or with a service's volume at least 90%
used); and the providers (a provider account's services not confirmed in
six months). With no receiver, no notice.""")
