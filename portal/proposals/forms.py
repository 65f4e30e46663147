"""The provider's proposal form: the organiser's service form (manage) without
the fields a provider may not set, and the organiser's return message."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..core.forms import TextBlockField, field_labels, max_length
from ..manage.forms import ROW_GROUPS, ServiceForm
from .services import LOCKED_FIELDS, MESSAGE_MAX, PROPOSED_FIELDS

PROPOSED_ROW_GROUPS = tuple(name for name in ROW_GROUPS if name not in LOCKED_FIELDS)


class ProposalForm(ServiceForm):
    # The service's version the form was drawn from (a change only).
    base_version = HiddenField()
    # What the provider may not propose (services.LOCKED_FIELDS).
    provider_id = None
    slug = None
    origin = None
    delivery_mode = None
    capacity_granted = None
    indicators = None
    assured_date = None

    def set_choices(self, *, areas, groups, places):
        self.areas.choices = [(a.code, a.name) for a in areas]
        self.target_groups.choices = [(g.code, g.name) for g in groups]
        self.place_ids.choices = [(p.id, p.one_line) for p in places]

    def add_blank_rows(self, count=3):
        for name in PROPOSED_ROW_GROUPS:
            rows = self[name]
            for _i in range(count):
                if len(rows.entries) < rows.max_entries:
                    rows.append_entry()

    def to_data(self):
        """The proposed fields as the catalogue's service data."""
        data = {}
        for name in PROPOSED_FIELDS:
            if name in PROPOSED_ROW_GROUPS:
                data[name] = [entry.form.values() for entry in self[name] if not entry.form.is_blank()]
            elif name in ("areas", "target_groups", "place_ids"):
                data[name] = list(self[name].data or [])
            else:
                data[name] = self[name].data
        data["description"] = data["description"] or ""
        return data


# Labels of the review table: the organiser's form's, keyed as the trail keys them.
LABELS = field_labels(ServiceForm, provider="provider_id", places="place_ids")


class ReturnForm(FlaskForm):
    message = TextBlockField(_l("Co realizator ma poprawić"), validators=[max_length(MESSAGE_MAX)],
                             render_kw={"rows": 4})
