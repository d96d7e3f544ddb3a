from wtforms import (
    DateField,
    HiddenField,
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
from portal.forms import LANGUAGE_CHOICES, PortalForm, nfkc, no_invisible, optional_int, upper
from portal.i18n import lazy_gettext as _l
from portal.idempotency import KEY_PATTERN, IdempotentForm, new_key
from portal.submit import VersionField

STAFF_NO = Regexp(
    r"^[A-Z0-9][A-Z0-9-]{1,15}$",
    message=_l("Use 2 to 16 letters, digits or hyphens, e.g. E1001."),
)
PIN = Regexp(r"^[0-9]{6}$", message=_l("The PIN is exactly 6 digits."))
PASSWORD_MIN = 10


def _lower(value):
    return value.lower() if isinstance(value, str) else value


FORM_KEY = Regexp(KEY_PATTERN.pattern, message=_l("Reload the page and try again."))

# The fields that depend on the role chosen, and the roles (and secrets) they are for.
ROLE_FIELDS = ("supervises", "username", "pin", "password")


class PersonForm(PortalForm):
    """The person form for every role: `apply_role()` keeps only the fields of the role chosen
    (the others are set aside, ignored by validation and the save, and shown to people without
    script in case they change the role)."""

    name_en = StringField(_l("Name in English"), validators=[Length(max=120), no_invisible])
    name_zh = StringField(_l("Name in Chinese"), validators=[Length(max=120), no_invisible])
    staff_no = StringField(
        _l("Staff number"),
        filters=[nfkc, upper],
        validators=[DataRequired(_l("Enter the staff number.")), no_invisible, STAFF_NO],
    )
    property_id = SelectField(_l("Property"), coerce=int, validators=[Optional()])
    department_id = SelectField(
        _l("Department"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose a department."))],
    )
    job_title_id = SelectField(_l("Job title"), coerce=optional_int, validators=[Optional()])
    role = SelectField(_l("Access role"), validators=[DataRequired()])
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
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    pin = PasswordField(
        _l("First PIN (6 digits)"),
        filters=[nfkc],
        validators=[Optional(), PIN],
        render_kw={
            "inputmode": "numeric",
            "autocomplete": "new-password",
            "maxlength": "6",
            "pattern": "[0-9]*",
        },
    )
    password = PasswordField(
        _l("First password"),
        validators=[Optional(), Length(min=PASSWORD_MIN, max=128)],
        render_kw={"autocomplete": "new-password"},
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
        render_kw={"type": "email", "autocomplete": "off"},
    )
    phone = StringField(
        _l("Phone"),
        filters=[nfkc],
        validators=[
            Optional(),
            no_invisible,
            Regexp(r"^[0-9+()\- ]{5,32}$", message=_l("Enter a phone number: digits, +, -.")),
        ],
        render_kw={"type": "tel", "inputmode": "tel"},
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
    password_min = PASSWORD_MIN
    # Names the form for the secrets it keeps (kept.py): random, one per form shown.
    form_key = HiddenField(validators=[Optional(), FORM_KEY])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.form_key.data:
            self.form_key.data = new_key()
        self.set_aside: dict[str, object] = {}
        self.kept: set[str] = set()  # "pin", "password": kept from an earlier try of this form
        self.titles_required = False

    # --- the fields of the role chosen -----------------------------------------------------
    def chosen_role(self, person=None) -> Role:
        """The role the form is for: the one sent when valid, else the person's, else employee."""
        if self.role.data in {r.value for r in Role}:
            return Role(self.role.data)
        return Role(person.role) if person is not None else Role.EMPLOYEE

    @staticmethod
    def fields_for(role: Role, person=None) -> set[str]:
        """The role-dependent fields that apply: the departments a supervisor looks after; a
        user name for password sign-in; the first secret of the role (on an edit, only when
        the person has none yet, as when an employee becomes a supervisor)."""
        wanted = set()
        if role is Role.SUPERVISOR:
            wanted.add("supervises")
        if role.uses_pin:
            if person is None or not person.pin_hash:
                wanted.add("pin")
        else:
            wanted.add("username")
            if person is None or not person.password_hash:
                wanted.add("password")
        return wanted

    def apply_role(self, person=None) -> Role:
        role = self.chosen_role(person)
        wanted = self.fields_for(role, person)
        for name in ROLE_FIELDS:
            if name not in wanted and name in self:
                self.set_aside[name] = self[name]
                del self[name]
        return role

    def secret_kind(self) -> str | None:
        return "pin" if "pin" in self else "password" if "password" in self else None

    # --- rules that tie fields together ----------------------------------------------------
    def validate(self, extra_validators=None) -> bool:
        """Field rules first, then the rules that tie fields together (empty fields included:
        an Optional() field stops its own chain before an inline validator would run)."""
        ok = super().validate(extra_validators)
        for field, message in self.cross_field_errors():
            field.errors = [*field.errors, message]
            ok = False
        return ok

    def cross_field_errors(self):
        if not (self.name_en.data or self.name_zh.data):
            yield self.name_zh, _l("Enter the name in Chinese, in English, or both.")
        if "username" in self and not self.username.data and not self.username.errors:
            yield self.username, _l("People who sign in with a password need a user name.")
        if self.titles_required and not self.job_title_id.data and not self.job_title_id.errors:
            yield self.job_title_id, _l("Choose the job title.")
        if "pin" in self and not self.pin.data and not self.pin.errors and "pin" not in self.kept:
            yield self.pin, _l("Employees sign in with a PIN: enter 6 digits.")
        if (
            "password" in self
            and not self.password.data
            and not self.password.errors
            and "password" not in self.kept
        ):
            yield (
                self.password,
                _l("Enter a password of at least %(n)s characters.", n=PASSWORD_MIN),
            )


class NewPersonForm(PersonForm, IdempotentForm):
    pass


class JobTitleForm(PortalForm):
    title_zh = StringField(_l("Job title in Chinese"), validators=[Length(max=120), no_invisible])
    title_en = StringField(_l("Job title in English"), validators=[Length(max=120), no_invisible])
    grade = SelectField(
        _l("Grade on the career ladder"),
        choices=[SelectChoice(g.value, label) for g, label in GRADE_LABELS.items()],
        validators=[DataRequired(_l("Choose a grade of the career ladder."))],
    )
    version = VersionField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.title_en.data or self.title_zh.data) and not self.title_zh.errors:
            self.title_zh.errors = [
                *self.title_zh.errors,
                _l("Enter the title in Chinese, in English, or both."),
            ]
            ok = False
        return ok


class NewJobTitleForm(JobTitleForm, IdempotentForm):
    department_id = SelectField(
        _l("Department"), coerce=int, validators=[DataRequired(_l("Choose a department."))]
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
