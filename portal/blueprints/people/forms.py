from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from portal.blueprints.people.models import GRADE_LABELS, Role
from portal.forms import LANGUAGE_CHOICES, PortalForm, nfkc, no_invisible, upper
from portal.idempotency import IdempotentForm
from portal.submit import VersionField

STAFF_NO = Regexp(
    r"^[A-Z0-9][A-Z0-9-]{1,15}$",
    message=_l("Use 2 to 16 letters, digits or hyphens, e.g. E1001."),
)
PIN = Regexp(r"^[0-9]{6}$", message=_l("The PIN is exactly 6 digits."))
PASSWORD_MIN = 10


def _lower(value):
    return value.lower() if isinstance(value, str) else value


class PersonForm(PortalForm):
    name_en = StringField(_l("Name in English"), validators=[Length(max=120), no_invisible])
    name_zh = StringField(_l("Name in Chinese"), validators=[Length(max=120), no_invisible])
    staff_no = StringField(
        _l("Staff number"),
        filters=[nfkc, upper],
        validators=[DataRequired(_l("Enter the staff number.")), no_invisible, STAFF_NO],
    )
    property_id = SelectField(_l("Property"), coerce=int, validators=[Optional()])
    department_id = SelectField(
        _l("Department"), coerce=int, validators=[DataRequired(_l("Choose a department."))]
    )
    role = SelectField(_l("Access role"), validators=[DataRequired()])
    grade = SelectField(
        _l("Job title"), choices=[SelectChoice(g.value, label) for g, label in GRADE_LABELS.items()]
    )
    supervises = SelectMultipleField(
        _l("Supervises departments"),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    username = StringField(
        _l("User name (for password sign-in)"),
        filters=[nfkc, _lower],
        validators=[
            Optional(),
            no_invisible,
            Regexp(
                r"^[a-z0-9._-]{3,40}$",
                message=_l("Use 3 to 40 lower-case letters, digits, dots or hyphens."),
            ),
        ],
    )
    email = StringField(
        _l("Email"),
        filters=[nfkc],
        validators=[
            Optional(),
            Length(max=254),
            no_invisible,
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address.")),
        ],
    )
    phone = StringField(
        _l("Phone"),
        filters=[nfkc],
        validators=[
            Optional(),
            no_invisible,
            Regexp(r"^[0-9+()\- ]{5,32}$", message=_l("Enter a phone number: digits, +, -.")),
        ],
    )
    hire_date = DateField(
        _l("Start date"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    locale = SelectField(
        _l("Preferred language"),
        choices=LANGUAGE_CHOICES,
        validators=[Optional()],
    )
    version = VersionField()

    def validate(self, extra_validators=None) -> bool:
        """Field rules first, then the rules that tie fields together (empty fields included:
        an Optional() field stops its own chain before an inline validator would run)."""
        ok = super().validate(extra_validators)
        for field, message in self.cross_field_errors():
            field.errors = [*field.errors, message]
            ok = False
        return ok

    def uses_password(self) -> bool:
        return bool(self.role.data) and self.role.data != Role.EMPLOYEE

    def cross_field_errors(self):
        if not (self.name_en.data or self.name_zh.data):
            yield self.name_zh, _l("Enter the name in Chinese, in English, or both.")
        if self.uses_password() and not self.username.data and not self.username.errors:
            yield self.username, _l("People who sign in with a password need a user name.")


class NewPersonForm(PersonForm, IdempotentForm):
    pin = PasswordField(
        _l("First PIN (6 digits)"),
        filters=[nfkc],
        validators=[Optional(), PIN],
        render_kw={"inputmode": "numeric", "autocomplete": "new-password"},
    )
    password = PasswordField(
        _l("First password"),
        validators=[Optional(), Length(min=PASSWORD_MIN, max=128)],
        render_kw={"autocomplete": "new-password"},
    )

    def cross_field_errors(self):
        yield from super().cross_field_errors()
        if self.role.data == Role.EMPLOYEE and not self.pin.data and not self.pin.errors:
            yield self.pin, _l("Employees sign in with a PIN: enter 6 digits.")
        if self.uses_password() and not self.password.data and not self.password.errors:
            yield (
                self.password,
                _l("Enter a password of at least %(n)s characters.", n=PASSWORD_MIN),
            )


class ResetPinForm(PortalForm):
    secret = PasswordField(
        _l("New PIN (6 digits)"),
        filters=[nfkc],
        validators=[DataRequired(_l("Enter the new PIN.")), PIN],
        render_kw={"inputmode": "numeric", "autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New PIN again"),
        filters=[nfkc],
        validators=[EqualTo("secret", message=_l("The two entries are not the same."))],
        render_kw={"inputmode": "numeric", "autocomplete": "new-password"},
    )


class ResetPasswordForm(PortalForm):
    secret = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter the new password.")),
            Length(min=PASSWORD_MIN, max=128),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("secret", message=_l("The two entries are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class PeopleFilterForm(PortalForm):
    """GET filters of the people list; bad values fall back to defaults."""

    class Meta(PortalForm.Meta):
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=80)])
    department = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Deactivated")),
            SelectChoice("all", _l("All")),
        ],
        validators=[Optional()],
    )
    page = IntegerField(validators=[Optional()])
