"""Training forms: every field bounded, choices from the property, numbers range-checked."""

from decimal import Decimal

from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
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

from portal.blueprints.people.models import ROLE_LABELS
from portal.blueprints.training.models import (
    CADENCE_LABELS,
    KIND_LABELS,
    MARK_LABELS,
    METHOD_LABELS,
)
from portal.blueprints.training.services import MAX_CAPACITY, ProgrammeData
from portal.forms import PortalForm, nfkc, no_invisible
from portal.i18n import lazy_gettext as _l
from portal.idempotency import IdempotentForm
from portal.security import LARGEST_ID
from portal.submit import VersionField

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


class ProgrammeFields(PortalForm):
    title_en = StringField(_l("Title in English"), validators=[Length(max=160), no_invisible])
    title_zh = StringField(_l("Title in Chinese"), validators=[Length(max=160), no_invisible])
    kind = SelectField(_l("Type of training"), choices=_choices(KIND_LABELS))
    method = SelectField(_l("Method"), choices=_choices(METHOD_LABELS))
    cadence = SelectField(_l("How often"), choices=_choices(CADENCE_LABELS))
    department_ids = SelectMultipleField(
        _l("Who must take it: departments"),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    roles = SelectMultipleField(
        _l("Who must take it: roles"),
        validators=[Optional()],
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    sop_ids = SelectMultipleField(
        _l("SOPs it covers"),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    pass_mark = IntegerField(
        _l("Pass mark of the assessment (0-100)"),
        filters=[nfkc],
        validators=[
            Optional(),
            NumberRange(0, 100, message=_l("A pass mark is between 0 and 100.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    cost_per_session = DecimalField(
        _l("Cost per session"),
        places=2,
        filters=[nfkc],
        validators=[
            InputRequired(_l("Give the cost of a session (0 when it costs nothing).")),
            NumberRange(
                Decimal("0"),
                Decimal("9999999999"),
                message=_l("A cost is between 0 and 9,999,999,999."),
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )

    def validate_title_zh(self, field):
        if not (self.title_en.data or field.data):
            raise ValidationError(_l("Give the programme a title in English or Chinese."))

    def data_object(self) -> ProgrammeData:
        return ProgrammeData(
            title_en=self.title_en.data or "",
            title_zh=self.title_zh.data or "",
            kind=self.kind.data,
            method=self.method.data,
            cadence=self.cadence.data,
            pass_mark=self.pass_mark.data,
            cost_per_session=self.cost_per_session.data,
            department_ids=list(self.department_ids.data or []),
            roles=list(self.roles.data or []),
            sop_ids=list(self.sop_ids.data or []),
        )

    def fill_from(self, programme) -> None:
        self.department_ids.data = [d.id for d in programme.departments]
        self.roles.data = programme.role_names
        self.sop_ids.data = [sop.id for sop in programme.sops]


class NewProgrammeForm(IdempotentForm, ProgrammeFields):
    pass


class EditProgrammeForm(ProgrammeFields):
    version = VersionField()


class SessionFields(PortalForm):
    programme_id = SelectField(_l("Programme"), coerce=int)
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=LOCAL_FORMAT,
        validators=[DataRequired(_l("Give the date and time it starts."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format=LOCAL_FORMAT,
        validators=[DataRequired(_l("Give the date and time it ends."))],
    )
    room = StringField(
        _l("Room"),
        validators=[DataRequired(_l("Say where it takes place.")), Length(max=80), no_invisible],
    )
    trainer_id = SelectField(_l("Trainer"), coerce=int)
    capacity = IntegerField(
        _l("Seats"),
        filters=[nfkc],
        validators=[
            InputRequired(_l("Give the number of seats.")),
            NumberRange(
                1,
                MAX_CAPACITY,
                message=_l("A session has between 1 and %(max)s seats.", max=MAX_CAPACITY),
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))


class NewSessionForm(IdempotentForm, SessionFields):
    pass


class EditSessionForm(SessionFields):
    version = VersionField()


class EnrolForm(IdempotentForm):
    person_id = IntegerField(
        _l("Person"),
        validators=[Optional(), NumberRange(1, LARGEST_ID, message=_l("Choose a person."))],
    )
    waiting_list = HiddenField()


class MarkForm(PortalForm):
    mark = SelectField(_l("Attendance"), choices=_choices(MARK_LABELS))


class ScoreForm(PortalForm):
    score = IntegerField(
        _l("Score"),
        filters=[nfkc],
        validators=[
            InputRequired(_l("Give a score from 0 to 100.")),
            NumberRange(0, 100, message=_l("A score is between 0 and 100.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


class CancelForm(PortalForm):
    reason = TextAreaField(_l("Why"), validators=[Optional(), Length(max=200)])


class BudgetForm(PortalForm):
    annual_budget = DecimalField(
        _l("Annual training budget"),
        places=2,
        filters=[nfkc],
        validators=[
            InputRequired(_l("Give the year's budget (0 when there is none).")),
            NumberRange(
                Decimal("0"),
                Decimal("9999999999"),
                message=_l("A budget is between 0 and 9,999,999,999."),
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )


class CertificateForm(IdempotentForm, PortalForm):
    staff_no = StringField(
        _l("Staff number"),
        filters=[nfkc],
        validators=[DataRequired(_l("Give the holder's staff number.")), Length(max=16)],
    )
    programme_id = SelectField(_l("Programme it certifies"), coerce=int)
    number = StringField(_l("Certificate number"), validators=[Length(max=60), no_invisible])
    issuer = StringField(_l("Issued by"), validators=[Length(max=120), no_invisible])
    issued_on = DateField(
        _l("Date of issue"), validators=[InputRequired(_l("Give the date of issue."))]
    )
    expires_on = DateField(
        _l("Valid until"), validators=[InputRequired(_l("Give the expiry date."))]
    )
