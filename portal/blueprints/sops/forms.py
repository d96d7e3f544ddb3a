from datetime import date

from wtforms import (
    BooleanField,
    DateField,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.blueprints.people.models import ROLE_LABELS
from portal.blueprints.sops.models import (
    LANGUAGES,
    STEP_MAX,
    TEXT_FIELDS,
    TEXT_MAX,
    ChangeKind,
    StepKind,
)
from portal.blueprints.sops.services import StepData, VersionData
from portal.forms import BoundedFieldList, PortalForm, nfkc, no_invisible, upper
from portal.i18n import lazy_gettext as _l
from portal.idempotency import IdempotentForm
from portal.submit import VersionField

MAX_STEPS = 60


# The one choice of what a new version is, with its consequence in its label and its hint.
CHANGE_KIND_LABELS = {
    ChangeKind.CORRECTION: _l("Correction: no one needs to read it again (%(from)s → %(to)s)"),
    ChangeKind.CHANGE: _l("Change: everyone reads it again (%(from)s → %(to)s)"),
    ChangeKind.EDITION: _l("New edition: everyone reads it again (%(from)s → %(to)s)"),
}
CHANGE_KIND_HINTS = {
    ChangeKind.CORRECTION: _l(
        "Spelling, wording or layout only: nothing anyone does changes. Whoever has "
        "acknowledged the version before is not asked again, and you say why."
    ),
    ChangeKind.CHANGE: _l(
        "Something people do changes. Everyone who must read this SOP is asked to read it "
        "and acknowledge the new version."
    ),
    ChangeKind.EDITION: _l(
        "The procedure is rewritten or changes a lot. Everyone who must read this SOP is asked "
        "to read it and acknowledge the new edition."
    ),
}


class ChangeKindField(RadioField):
    """The one choice of what a version is; each option has its consequence as a hint."""

    hints = CHANGE_KIND_HINTS

    def __init__(self, label=None, validators=None, **kwargs):
        choices = [SelectChoice(kind.value, kind.value) for kind in ChangeKind]  # see label_kinds
        super().__init__(label, validators, choices=choices, **kwargs)

    def label_kinds(self, base_number: str, numbers: dict) -> None:
        """The options, with the numbers they give: 'Correction ... (1.0 → 1.1)'."""
        self.choices = [
            SelectChoice(
                kind.value,
                str(CHANGE_KIND_LABELS[kind]) % {"from": base_number, "to": numbers[kind]},
            )
            for kind in ChangeKind
        ]


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
    # The saved step this one was loaded from: how a save tells which language changed alone.
    origin = VersionField()
    # Shown where the other language changed alone: "this one still says the same".
    confirm_en = BooleanField(_l("English still correct"))
    confirm_zh = BooleanField(_l("Chinese still correct"))


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
    # What this version is (not asked of a first version): its number and who reads it again.
    change_kind = ChangeKindField(_l("What kind of change is this?"), validate_choice=False)
    minor_edit_reason = StringField(
        _l("Why no one needs to read it again"), validators=[Length(max=500)]
    )
    first_version = True  # the form of a first version (1.0) has no kind of change

    def validate_change_kind(self, field) -> None:
        if self.first_version:
            field.data = None
        elif field.data not in set(ChangeKind):
            raise ValidationError(_l("Choose what kind of change this is."))

    def label_change_kinds(self, base_number: str, numbers: dict) -> None:
        """The choices, with the numbers they give: 'Correction ... (1.0 → 1.1)'."""
        self.first_version = False
        self.change_kind.label_kinds(base_number, numbers)

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
        """The texts and the steps as typed, without the steps ticked for removal, and the kind
        of change chosen (its number, and whether everyone reads it again)."""
        steps = [
            StepData(
                text_en=entry.text_en.data or "",
                text_zh=entry.text_zh.data or "",
                note_en=entry.note_en.data or "",
                note_zh=entry.note_zh.data or "",
                kind=entry.kind.data if entry.kind.data in set(StepKind) else StepKind.STEP,
                key_point=bool(entry.key_point.data),
                origin=entry.origin.number,
                confirmed=tuple(
                    lang for lang in LANGUAGES if getattr(entry, f"confirm_{lang}").data
                ),
            )
            for entry in (e.form for e in self.steps)
            if not entry.remove.data
        ]
        kind = None if self.first_version else ChangeKind(self.change_kind.data)
        return VersionData.kind(
            kind,
            **{name: getattr(self, name).data or "" for name in TEXT_FIELDS},
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
        kind = ChangeKind.of(version)
        self.change_kind.data = kind.value if kind else None
        steps = list(version.steps)
        if len(self.steps) != len(steps):  # built from obj=version: the same steps, once
            while len(self.steps):
                self.steps.pop_entry()
            for step in steps:
                self.steps.append_entry(step)
        for entry, step in zip(self.steps, steps, strict=True):
            entry.form.origin.data = str(step.id)
            for lang in LANGUAGES:
                getattr(entry.form, f"confirm_{lang}").data = False


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
    kind = ChangeKindField(
        _l("What kind of change will it be?"),
        default=ChangeKind.CHANGE.value,
        validators=[DataRequired(_l("Choose what kind of change this is."))],
    )

    def label_kinds(self, base_number: str, numbers: dict) -> None:
        self.kind.label_kinds(base_number, numbers)


class ReviewForm(IdempotentForm):
    """'Reviewed, still valid': the next review date of the version in force."""

    next_review = DateField(
        _l("Next review by"),
        validators=[DataRequired(_l("Choose the date of the next review."))],
        render_kw={"type": "date"},
    )
    note = StringField(_l("Note (optional)"), validators=[Length(max=500)])
    # The review date the reviewer saw: a second tap, or someone faster, records nothing.
    was_due = HiddenField(
        validators=[
            Optional(),
            Regexp(r"^\d{4}-\d{2}-\d{2}$", message=_l("Reload the page and try again.")),
        ]
    )

    @property
    def was_due_date(self) -> date | None:
        try:
            return date.fromisoformat(self.was_due.data) if self.was_due.data else None
        except ValueError:
            return None


class SettingsForm(PortalForm):
    """The SOP library's settings of a property."""

    required_languages = SelectMultipleField(
        _l("Languages every version must have before it is sent for review"),
        choices=[
            SelectChoice("en", _l("English")),
            SelectChoice("zh", _l("Chinese")),
        ],
        validators=[DataRequired(_l("Choose at least one language."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class RetireForm(PortalForm):
    retired_on = DateField(
        _l("Retire from"),
        validators=[DataRequired(_l("Choose the date."))],
        render_kw={"type": "date"},
    )
