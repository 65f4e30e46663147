"""Forms of the duties pages: the summary's conclusions and a meeting with the
coordinators (its tasks are optional rows: a row left empty is ignored)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField

from ..core.forms import (
    ChoiceField,
    DateInputField,
    MultiCheckboxField,
    Required,
    RowForm,
    TextBlockField,
    TextField,
    max_length,
    optional_int,
)
from .duties import PROVIDERS_MAX, TASK_MAX, TEXT_MAX, TaskData

BLANK_TASKS = 3
MAX_TASKS = 40


class ConclusionsForm(FlaskForm):
    version = HiddenField()
    conclusions = TextBlockField(_l("Wnioski organizatora usług społecznych"),
                                 validators=[Required(_l("Wpisz wnioski z podsumowania.")), max_length(TEXT_MAX)],
                                 render_kw={"rows": 10})


class TaskForm(RowForm):
    description = TextField(_l("Zadanie"), validators=[max_length(TASK_MAX)])
    owner_id = ChoiceField(_l("Odpowiada"), coerce=optional_int)
    due_on = DateInputField(_l("Termin"))


class MeetingForm(FlaskForm):
    version = HiddenField()
    held_on = DateInputField(_l("Dzień spotkania"), validators=[Required(_l("Podaj dzień spotkania."))])
    attendee_ids = MultiCheckboxField(_l("Obecni pracownicy"), coerce=int,
                                      validators=[Required(_l("Zaznacz, kto był na spotkaniu."))])
    invited_providers = TextBlockField(_l("Zaproszeni realizatorzy (nieobowiązkowo)"),
                                       validators=[max_length(PROVIDERS_MAX)], render_kw={"rows": 2})
    plans = TextBlockField(_l("Omawiane plany (numery)"), validators=[max_length(2000)], render_kw={"rows": 2})
    conclusions = TextBlockField(_l("Wnioski"), validators=[Required(_l("Wpisz wnioski ze spotkania.")),
                                                            max_length(TEXT_MAX)], render_kw={"rows": 6})
    tasks = FieldList(FormField(TaskForm), label=_l("Zadania"), min_entries=0, max_entries=MAX_TASKS)

    def set_staff(self, users):
        labelled = [(user.id, f"{user.full_name} ({user.role_label})") for user in users]
        self.attendee_ids.choices = labelled
        for entry in self.tasks:
            entry.form.owner_id.choices = [("", _l("— wybierz —"))] + [(uid, name) for uid, name in labelled]

    def add_blank_rows(self, count=BLANK_TASKS):
        while count > 0 and len(self.tasks.entries) < self.tasks.max_entries:
            self.tasks.append_entry()
            count -= 1

    def to_data(self):
        return {"held_on": self.held_on.data, "attendee_ids": list(self.attendee_ids.data or []),
                "invited_providers": self.invited_providers.data, "plans": self.plans.data,
                "conclusions": self.conclusions.data,
                "tasks": [TaskData(entry.form.description.data, entry.form.owner_id.data, entry.form.due_on.data)
                          for entry in self.tasks]}

    @classmethod
    def of(cls, meeting):
        form = cls(formdata=None)
        form.version.data = str(meeting.version)
        form.held_on.data = meeting.held_on
        form.attendee_ids.data = [user.id for user in meeting.attendees]
        form.invited_providers.data = meeting.invited_providers
        form.plans.data = ", ".join(plan.number for plan in meeting.plans if plan.number)
        form.conclusions.data = meeting.conclusions
        for task in meeting.tasks:
            form.tasks.append_entry({"description": task.description, "owner_id": task.owner_id,
                                     "due_on": task.due_on})
        return form
