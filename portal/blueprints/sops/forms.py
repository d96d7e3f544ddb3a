from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from portal.blueprints.people.models import ROLE_LABELS
from portal.blueprints.sops.models import STEP_MAX, TEXT_FIELDS, TEXT_MAX, StepKind
from portal.blueprints.sops.services import StepData, VersionData
from portal.forms import BoundedFieldList, PortalForm, nfkc, no_invisible, upper
from portal.idempotency import IdempotentForm
from portal.submit import VersionField

MAX_STEPS = 60


def _text(label, limit=TEXT_MAX, rows=3):
    return TextAreaField(
        label, validators=[Optional(), Length(max=limit)], render_kw={"rows": rows}
    )


class StepForm(PortalForm):
    class Meta(PortalForm.Meta):
        csrf = False

    text_en = _text(_l("Step in English"), STEP_MAX, 2)
    text_zh = _text(_l("Step in Chinese"), STEP_MAX, 2)
    note_en = _text(_l("Note or warning in English"), STEP_MAX, 1)
    note_zh = _text(_l("Note or warning in Chinese"), STEP_MAX, 1)
    kind = SelectField(
        _l("The note is"),
        choices=[
            SelectChoice(StepKind.STEP.value, _l("A note")),
            SelectChoice(StepKind.WARNING.value, _l("A safety warning")),
        ],
    )
    key_point = BooleanField(_l("Key point"))
    remove = BooleanField(_l("Remove this step"))


class AudienceFields(PortalForm):
    """Who must read the SOP; kept on the SOP and changed together with a draft."""

    audience_departments = SelectMultipleField(
        _l("Who must read it: departments"),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    audience_roles = SelectMultipleField(
        _l("Who must read it: roles"),
        validators=[Optional()],
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    yearly_ack = BooleanField(_l("Ask everyone to acknowledge again every year"))


class VersionForm(PortalForm):
    title_en = StringField(_l("Title in English"), validators=[Length(max=200), no_invisible])
    title_zh = StringField(_l("Title in Chinese"), validators=[Length(max=200), no_invisible])
    purpose_en = _text(_l("Purpose in English"))
    purpose_zh = _text(_l("Purpose in Chinese"))
    scope_en = _text(_l("Scope in English"))
    scope_zh = _text(_l("Scope in Chinese"))
    responsibilities_en = _text(_l("Responsibilities in English"))
    responsibilities_zh = _text(_l("Responsibilities in Chinese"))
    change_summary_en = _text(_l("What changed, in English"), 2000, 2)
    change_summary_zh = _text(_l("What changed, in Chinese"), 2000, 2)
    minor_edit = BooleanField(_l("Minor edit: staff need not acknowledge this version again"))
    minor_edit_reason = StringField(_l("Why it is minor"), validators=[Length(max=500)])
    steps = BoundedFieldList(
        FormField(StepForm),
        min_entries=1,
        max_entries=MAX_STEPS,
        too_many=_l(
            "An SOP has at most %(max)d steps. Remove or combine steps, then save.", max=MAX_STEPS
        ),
    )
    lock = VersionField()

    def version_data(self) -> VersionData:
        """The texts and the steps as typed, without the steps ticked for removal."""
        steps = [
            StepData(
                text_en=entry.text_en.data or "",
                text_zh=entry.text_zh.data or "",
                note_en=entry.note_en.data or "",
                note_zh=entry.note_zh.data or "",
                kind=entry.kind.data if entry.kind.data in set(StepKind) else StepKind.STEP,
                key_point=bool(entry.key_point.data),
            )
            for entry in (e.form for e in self.steps)
            if not entry.remove.data
        ]
        return VersionData(
            **{name: getattr(self, name).data or "" for name in TEXT_FIELDS},
            minor_edit=bool(self.minor_edit.data),
            minor_edit_reason=self.minor_edit_reason.data or "",
            steps=steps,
        )


class EditSopForm(VersionForm, AudienceFields):
    def fill_from(self, version) -> None:
        """The draft as saved: its steps, who must read it, and the lock it was read at."""
        sop = version.sop
        self.lock.data = str(version.lock_version)
        self.audience_departments.data = sorted(
            {a.department_id for a in sop.audience if a.department_id}
        )
        self.audience_roles.data = sorted({a.role for a in sop.audience if a.role})
        self.yearly_ack.data = sop.yearly_ack
        while len(self.steps):
            self.steps.pop_entry()
        for step in version.steps:
            self.steps.append_entry(step)


class NewSopForm(VersionForm, AudienceFields, IdempotentForm):
    number = StringField(
        _l("SOP number"),
        filters=[nfkc, upper],
        validators=[
            DataRequired(_l("Enter the SOP number, e.g. HK-003.")),
            no_invisible,
            Regexp(
                r"^[A-Z]{1,6}-[0-9]{1,4}$",
                message=_l("Use letters, a hyphen and digits, e.g. HK-003."),
            ),
        ],
    )
    department_id = SelectField(
        _l("Department that owns it"),
        coerce=int,
        validators=[DataRequired(_l("Choose a department."))],
    )


class ApproveForm(PortalForm):
    effective_date = DateField(
        _l("In force from"),
        validators=[DataRequired(_l("Choose the date it takes effect."))],
        render_kw={"type": "date"},
    )
    review_date = DateField(
        _l("Review by (default: one year later)"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )


class ReturnForm(PortalForm):
    reason = StringField(
        _l("What needs changing"),
        validators=[DataRequired(_l("Say what needs changing.")), Length(max=500)],
    )


class NewVersionForm(PortalForm):
    kind = SelectField(
        _l("New version"),
        choices=[
            SelectChoice("minor", _l("Small change (1.0 to 1.1)")),
            SelectChoice("major", _l("Substantial change (1.0 to 2.0)")),
        ],
    )


class RetireForm(PortalForm):
    retired_on = DateField(
        _l("Retire from"),
        validators=[DataRequired(_l("Choose the date."))],
        render_kw={"type": "date"},
    )
