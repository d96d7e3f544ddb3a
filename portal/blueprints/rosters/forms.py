"""Rosters forms: every id bounded, every choice from the property, statuses from their enums."""

from wtforms import (
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

from portal.blueprints.rosters.models import (
    AREA_LABELS,
    DEFERRAL_LABELS,
    OCCUPANCY_LABELS,
    OUTCOME_LABELS,
    POLICY_LABELS,
    SKIP_LABELS,
    Outcome,
)
from portal.forms import PortalForm, no_invisible, optional_int, upper
from portal.i18n import lazy_gettext as _l
from portal.security import LARGEST_ID
from portal.submit import VersionField


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _bounded(message):
    def check(form, field):
        values = field.data if isinstance(field.data, list) else [field.data]
        for value in values:
            if value is not None and not 0 < value <= LARGEST_ID:
                raise ValidationError(message)

    return check


class AssignForm(PortalForm):
    room_ids = SelectMultipleField(
        _l("Rooms"),
        coerce=int,
        validators=[DataRequired(_l("Tick the rooms to assign."))],
    )
    attendant_id = SelectField(
        _l("Attendant"),
        coerce=optional_int,
        validators=[
            DataRequired(_l("Choose the attendant.")),
            _bounded(_l("Choose the attendant.")),
        ],
    )


class MoveForm(PortalForm):
    attendant_id = SelectField(
        _l("Move to"),
        coerce=optional_int,
        validators=[
            DataRequired(_l("Choose the attendant.")),
            _bounded(_l("Choose the attendant.")),
        ],
    )


class BalanceForm(PortalForm):
    """Who is on shift: the rooms left are split between them."""

    attendant_ids = SelectMultipleField(
        _l("Attendants on shift"),
        coerce=int,
        validators=[DataRequired(_l("Tick the attendants on shift."))],
    )


class ApplyForm(PortalForm):
    """A proposal as the supervisor accepted it: "room:attendant" pairs."""

    pairs = SelectMultipleField(
        coerce=str,
        validate_choice=False,  # any well-formed pair; the service checks each room and person
        validators=[DataRequired(_l("The proposal is empty. Propose again."))],
    )

    def parsed(self) -> list[tuple[int, int]]:
        out = []
        for pair in self.pairs.data or []:
            room, _, person = pair.partition(":")
            out.append((int(room), int(person)))
        return out

    def validate_pairs(self, field):
        if len(field.data or []) > 1000:
            raise ValidationError(_l("The proposal is too long. Propose again."))
        for pair in field.data or []:
            room, sep, person = pair.partition(":")
            if (
                not sep
                or not room.isdigit()
                or not person.isdigit()
                or len(room) > 10
                or len(person) > 10
                or not 0 < int(room) <= LARGEST_ID
                or not 0 < int(person) <= LARGEST_ID
            ):
                raise ValidationError(_l("The proposal was changed. Propose again."))


class DeferForm(PortalForm):
    reason = SelectField(
        _l("Why not now"),
        choices=_choices(DEFERRAL_LABELS),
        validators=[DataRequired(_l("Choose why the room cannot be cleaned now."))],
    )


class TickForm(PortalForm):
    done = HiddenField(validators=[DataRequired()])

    def validate_done(self, field):
        if field.data not in ("0", "1"):
            raise ValidationError(_l("Reload the page and try again."))


class RushForm(PortalForm):
    rush = HiddenField(validators=[DataRequired()])

    def validate_rush(self, field):
        if field.data not in ("0", "1"):
            raise ValidationError(_l("Reload the page and try again."))


class DirtyForm(PortalForm):
    occupancy = SelectField(
        _l("What the room needs"),
        choices=_choices(OCCUPANCY_LABELS),
        validators=[DataRequired(_l("Choose what the room needs."))],
    )


def inspect_form(steps: int, formdata=None):
    """The inspection form of a checklist of `steps` steps: one pass/fail/n.a. per step."""

    class InspectForm(PortalForm):
        note = TextAreaField(
            _l("Note for the attendant"),
            validators=[Length(max=2000)],
            render_kw={"rows": 2},
        )

        def items(self) -> dict[int, Outcome]:
            return {i: Outcome(getattr(self, f"item_{i}").data) for i in range(1, steps + 1)}

    for i in range(1, steps + 1):
        setattr(
            InspectForm,
            f"item_{i}",
            SelectField(
                choices=_choices(OUTCOME_LABELS),
                default=Outcome.PASS.value,
                validators=[InputRequired(_l("Give this item a mark."))],
            ),
        )
    return InspectForm(formdata=formdata) if formdata is not None else InspectForm()


class RoomForm(PortalForm):
    number = StringField(
        _l("Room number"),
        filters=[upper],
        validators=[
            DataRequired(_l("Give the room's number.")),
            Length(max=8, message=_l("A room number has at most 8 characters.")),
            no_invisible,
        ],
    )
    floor = IntegerField(
        _l("Floor"),
        validators=[
            InputRequired(_l("Give the floor as a number.")),
            NumberRange(-5, 200, _l("A floor is between -5 and 200.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    room_type_id = SelectField(
        _l("Room type"),
        coerce=optional_int,
        validators=[
            DataRequired(_l("Choose the room type.")),
            _bounded(_l("Choose the room type.")),
        ],
    )
    version = VersionField()


class SettingsForm(PortalForm):
    cleaning_sop_id = SelectField(
        _l("Cleaning checklist"),
        coerce=optional_int,
        validators=[Optional(), _bounded(_l("Choose an SOP from the list."))],
    )


class ReleaseForm(PortalForm):
    reason = SelectField(
        _l("Why it is not inspected"),
        choices=_choices(SKIP_LABELS),
        validators=[DataRequired(_l("Choose why the room is released without an inspection."))],
    )


class PolicyForm(PortalForm):
    rule = SelectField(
        _l("Inspection"),
        choices=_choices(POLICY_LABELS),
        validators=[DataRequired(_l("Choose how this attendant's rooms are inspected."))],
    )
    every_n = IntegerField(
        _l("Every how many rooms"),
        default=3,
        validators=[
            Optional(),
            NumberRange(2, 20, _l("Inspect every 2nd to every 20th room.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


class ReportForm(PortalForm):
    """An item found in a room, or something broken there."""

    description = StringField(
        _l("What is it?"),
        validators=[
            DataRequired(_l("Say what it is.")),
            Length(max=300, message=_l("Say it in at most 300 characters.")),
            no_invisible,
        ],
    )


class CloseFoundForm(PortalForm):
    status = SelectField(
        _l("What happened to it"),
        choices=[
            SelectChoice("returned", _l("Returned")),
            SelectChoice("disposed", _l("Disposed of")),
        ],
        validators=[DataRequired(_l("Choose returned or disposed of."))],
    )
    note = StringField(
        _l("To whom, or how"),
        validators=[Length(max=300, message=_l("Say it in at most 300 characters."))],
    )


class FixForm(PortalForm):
    note = StringField(
        _l("What was done"),
        validators=[Length(max=300, message=_l("Say it in at most 300 characters."))],
    )


class AreaForm(PortalForm):
    code = StringField(
        _l("Code"),
        filters=[upper],
        validators=[
            DataRequired(_l("Give the area a short code.")),
            Length(max=16, message=_l("A code has at most 16 characters.")),
            no_invisible,
        ],
    )
    name_en = StringField(
        _l("Name in English"),
        validators=[DataRequired(_l("Name it in English.")), Length(max=120), no_invisible],
    )
    name_zh = StringField(
        _l("Name in Chinese"),
        validators=[DataRequired(_l("Name it in Chinese.")), Length(max=120), no_invisible],
    )
    kind = SelectField(
        _l("Kind of area"),
        choices=_choices(AREA_LABELS),
        validators=[DataRequired(_l("Choose the kind of area."))],
    )
    floor = IntegerField(
        _l("Floor"),
        validators=[Optional(), NumberRange(-5, 200, _l("A floor is between -5 and 200."))],
        render_kw={"inputmode": "numeric"},
    )
    every_minutes = IntegerField(
        _l("Cleaned every (minutes)"),
        validators=[
            Optional(),
            NumberRange(15, 10080, _l("Between 15 minutes and a week; empty: after each service.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


class GiveAreaForm(PortalForm):
    """Who cleans a public area today: an attendant, or nobody (empty). The person is checked
    as an attendant of the area's property by the service."""

    attendant_id = SelectField(
        coerce=optional_int,
        validate_choice=False,
        validators=[Optional(), _bounded(_l("Choose the attendant."))],
    )
