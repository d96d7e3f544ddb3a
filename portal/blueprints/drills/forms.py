"""Drill forms: every field bounded, choices from the property, counts range-checked."""

import re

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.blueprints.drills.models import (
    EVERY_LABELS,
    KIND_LABELS,
    PHASE_LABELS,
    SHIFT_LABELS,
)
from portal.blueprints.drills.plans import BILINGUAL, PlanData
from portal.blueprints.drills.services import MAX_COUNT, RECORD_FIELDS
from portal.forms import PortalForm, nfkc, no_invisible, optional_int, upper
from portal.i18n import lazy_gettext as _l
from portal.idempotency import IdempotentForm
from portal.security import LARGEST_ID
from portal.submit import VersionField

TARGET = re.compile(r"^(\d{1,3})(?::([0-5]\d))?$")
LABELS = {
    "title": (_l("Title in English"), _l("Title in Chinese")),
    "scope": (_l("Scope in English"), _l("Scope in Chinese")),
    "goals": (_l("Goals in English"), _l("Goals in Chinese")),
}


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _text_field(name: str, lang: str):
    if name in LABELS:
        label = LABELS[name][0 if lang == "en" else 1]
    else:
        phase = PHASE_LABELS[name]
        label = (
            _l("%(phase)s measures in English", phase=phase)
            if lang == "en"
            else _l("%(phase)s measures in Chinese", phase=phase)
        )
    if name == "title":
        return StringField(label, validators=[Length(max=160), no_invisible])
    return TextAreaField(label, validators=[Length(max=4000)], render_kw={"rows": 3})


class PlanFields(PortalForm):
    code = StringField(
        _l("Plan code"),
        filters=[nfkc, upper],
        validators=[
            DataRequired(_l("Give the plan a code, e.g. FIRE-01.")),
            Length(max=24),
            no_invisible,
        ],
    )
    kind = SelectField(_l("Kind of emergency"), choices=_choices(KIND_LABELS))
    every_months = SelectField(
        _l("How often it is drilled"),
        coerce=int,
        choices=[SelectChoice(months, label) for months, label in EVERY_LABELS.items()],
    )
    shifts = SelectMultipleField(
        _l("Shifts that must drill it"),
        choices=_choices(SHIFT_LABELS),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    notice_required = BooleanField(_l("The fire department is told before each drill"))
    target = StringField(
        _l("Target evacuation time (minutes, or minutes:seconds)"),
        filters=[nfkc],
        validators=[Optional(), Length(max=6)],
        render_kw={"inputmode": "numeric", "placeholder": "4:30"},
    )
    sop_ids = SelectMultipleField(
        _l("SOPs this plan follows"),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def validate_target(self, field):
        if not field.data:
            return
        found = TARGET.match(field.data)
        seconds = int(found.group(1)) * 60 + int(found.group(2) or 0) if found else 0
        if not found or not 0 < seconds <= 7200:
            raise ValidationError(
                _l("Give minutes (e.g. 5) or minutes:seconds (4:30), at most 120 minutes.")
            )

    def target_seconds(self) -> int | None:
        found = TARGET.match(self.target.data or "")
        return int(found.group(1)) * 60 + int(found.group(2) or 0) if found else None

    def data_object(self) -> PlanData:
        return PlanData(
            code=self.code.data,
            kind=self.kind.data,
            every_months=self.every_months.data,
            shifts=list(self.shifts.data or []),
            notice_required=bool(self.notice_required.data),
            target_seconds=self.target_seconds(),
            sop_ids=list(self.sop_ids.data or []),
            texts={
                f"{name}_{lang}": getattr(self, f"{name}_{lang}").data or ""
                for name in BILINGUAL
                for lang in ("en", "zh")
            },
            change_note=(getattr(self, "change_note", None) and self.change_note.data) or "",
        )

    def fill_from(self, plan, version) -> None:
        self.shifts.data = [s.shift for s in plan.shifts]
        self.sop_ids.data = [sop.id for sop in plan.sops]
        if plan.target_seconds:
            minutes, seconds = divmod(plan.target_seconds, 60)
            self.target.data = f"{minutes}:{seconds:02d}" if seconds else str(minutes)
        for name in BILINGUAL:
            for lang in ("en", "zh"):
                getattr(self, f"{name}_{lang}").data = getattr(version, f"{name}_{lang}")


for _name in BILINGUAL:
    for _lang in ("en", "zh"):
        setattr(PlanFields, f"{_name}_{_lang}", _text_field(_name, _lang))


class NewPlanForm(IdempotentForm, PlanFields):
    pass


class RevisePlanForm(PlanFields):
    change_note = StringField(
        _l("What changed and why"),
        validators=[DataRequired(_l("Say what changed and why.")), Length(max=300)],
    )
    version = VersionField()


class ScheduleForm(IdempotentForm):
    plan_id = SelectField(_l("Plan"), coerce=int)
    shift = SelectField(_l("Shift"), choices=_choices(SHIFT_LABELS))
    planned_on = DateField(_l("Day"), validators=[DataRequired(_l("Choose the day of the drill."))])


def _count(label):
    return IntegerField(
        label,
        filters=[nfkc],
        default=0,
        validators=[
            InputRequired(_l("Give a number (0 when there were none).")),
            NumberRange(0, MAX_COUNT, message=_l("Give a number from 0 to 100,000.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


def _prose(label, rows=3, max_length=4000):
    return TextAreaField(label, validators=[Length(max=max_length)], render_kw={"rows": rows})


class RecordForm(PortalForm):
    alert_method = StringField(
        _l("How people were alerted"),
        validators=[Length(max=200)],
        render_kw={"placeholder": _l("Alarm bells, PA announcement, floor wardens")},
    )
    alarm_audible = SelectField(
        _l("Was the alarm heard everywhere?"),
        choices=[
            SelectChoice("", _l("Not recorded yet")),
            SelectChoice("yes", _l("Yes, everywhere")),
            SelectChoice("no", _l("No: see problems found")),
        ],
        validators=[Optional()],
    )
    exits_used = StringField(_l("Exits used"), validators=[Length(max=300)])
    staff_count = _count(_l("Staff counted at the assembly point"))
    guest_count = _count(_l("Guests"))
    visitor_count = _count(_l("Visitors"))
    contractor_count = _count(_l("Contractors"))
    staff_on_duty = _count(_l("Staff on duty"))
    staff_taking_part = _count(_l("Staff taking part"))
    evacuated_count = _count(_l("People evacuated"))
    special_conditions = _prose(_l("Special conditions simulated"), rows=2)
    weather = StringField(_l("Weather"), validators=[Length(max=120)])
    problems = _prose(_l("Problems found"))
    strengths = _prose(_l("Strengths"))
    improvements = _prose(_l("Areas to improve"))
    notice_given_on = DateField(
        _l("Fire department told on"), validators=[Optional()], render_kw={"max": "9999-12-31"}
    )
    version = VersionField()

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in RECORD_FIELDS}
        for name in ("alert_method", "exits_used", "special_conditions", "weather", "problems",
                     "strengths", "improvements"):  # fmt: skip
            values[name] = values[name] or ""
        values["alarm_audible"] = {"yes": True, "no": False}.get(self.alarm_audible.data)
        return values

    def fill_from(self, drill) -> None:
        self.alarm_audible.data = {True: "yes", False: "no"}.get(drill.alarm_audible, "")
        self.version.data = str(drill.version)


class AmendForm(RecordForm):
    """A closed record's fields as amended so far, to correct, with the reason."""

    reason = TextAreaField(
        _l("Why the record is amended"),
        validators=[DataRequired(_l("Say why the record is amended.")), Length(max=500)],
        render_kw={
            "rows": 2,
            "placeholder": _l("Guest count corrected from the front-office list"),
        },
    )

    def fill_from_values(self, values: dict, version: int) -> None:
        for name, value in values.items():
            getattr(self, name).data = value
        self.alarm_audible.data = {True: "yes", False: "no"}.get(values["alarm_audible"], "")
        self.version.data = str(version)


def record_labels() -> dict[str, str]:
    """Each record field's label, in the language of the moment (amendments name the field)."""
    form = RecordForm(formdata=None)
    return {name: str(form[name].label.text) for name in RECORD_FIELDS}


def _duties():
    from portal.blueprints.drills.models import DUTY_LABELS

    return [SelectChoice(key.value, label) for key, label in DUTY_LABELS.items()]


class RoleForm(PortalForm):
    person_id = SelectField(
        _l("Person"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose someone of this property."))],
    )
    duty = SelectField(
        _l("Duty"),
        choices=_duties(),
        validators=[DataRequired(_l("Choose a duty from the list."))],
    )
    area = StringField(
        _l("Area or point"),
        validators=[Length(max=120)],
        render_kw={"placeholder": _l("Level 3, car-park assembly point")},
    )

    def validate_person_id(self, field):
        if field.data is not None and not 0 < field.data <= LARGEST_ID:
            raise ValidationError(_l("Choose someone of this property."))


class RollForm(PortalForm):
    accounted = HiddenField(validators=[DataRequired()])

    def validate_accounted(self, field):
        if field.data not in ("0", "1"):
            raise ValidationError(_l("Reload the page and try again."))


class ActionForm(IdempotentForm):
    description = TextAreaField(
        _l("What must be done"),
        validators=[DataRequired(_l("Say what must be done.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    owner_id = SelectField(
        _l("Owner"), coerce=int, validators=[DataRequired(_l("Choose who owns this action."))]
    )
    due_on = DateField(_l("Due"), validators=[DataRequired(_l("Give the day it is due."))])

    def validate_owner_id(self, field):
        if field.data is not None and not 0 < field.data <= LARGEST_ID:
            raise ValidationError(_l("Choose who owns this action."))


class DoneForm(PortalForm):
    done_note = StringField(
        _l("What was done"),
        validators=[DataRequired(_l("Say what was done.")), Length(max=500)],
    )


def _severities():
    from portal.blueprints.drills.models import SEVERITY_LABELS

    return [SelectChoice(key.value, label) for key, label in SEVERITY_LABELS.items()]


class IncidentForm(IdempotentForm):
    occurred_at = DateTimeLocalField(
        _l("When it happened"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Give the date and time it happened."))],
    )
    location = StringField(
        _l("Where"),
        validators=[DataRequired(_l("Say where it happened.")), Length(max=120), no_invisible],
        render_kw={"placeholder": _l("e.g. Car park level B2, lift lobby")},
    )
    what = TextAreaField(
        _l("What happened"),
        validators=[DataRequired(_l("Say what happened.")), Length(max=4000)],
        render_kw={"rows": 4},
    )
    involved = TextAreaField(
        _l("Who was involved"),
        validators=[Length(max=2000)],
        render_kw={"rows": 2, "placeholder": _l("Guests, staff, visitors: names if known")},
    )
    severity = SelectField(_l("How serious"), choices=_severities())


class TriageForm(PortalForm):
    severity = SelectField(_l("How serious"), choices=_severities())
    triage_note = TextAreaField(
        _l("What security is doing"),
        validators=[DataRequired(_l("Say what security is doing about it.")), Length(max=4000)],
        render_kw={"rows": 2},
    )


class CloseIncidentForm(PortalForm):
    actions_taken = TextAreaField(
        _l("Actions taken"),
        validators=[DataRequired(_l("Say what was done.")), Length(max=4000)],
        render_kw={"rows": 3},
    )
    plan_id = SelectField(_l("A plan this shows must change"), coerce=int, default=0)


class ReadForm(PortalForm):
    """ "I have read this version": the version the page showed (a newer one may be in force)."""

    version = VersionField()
