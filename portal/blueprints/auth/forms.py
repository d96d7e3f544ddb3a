from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm, nfkc, no_invisible
from portal.i18n import lazy_gettext as _l


class LoginForm(PortalForm):
    identifier = StringField(
        _l("Staff number or user name"),
        filters=[nfkc],
        validators=[
            DataRequired(_l("Enter your staff number or user name.")),
            Length(max=40),
            no_invisible,
        ],
        render_kw={
            "autocomplete": "username",
            "autocapitalize": "none",
            "spellcheck": "false",
            "autofocus": True,
        },
    )
    secret = PasswordField(
        _l("PIN or password"),
        filters=[nfkc],
        validators=[DataRequired(_l("Enter your PIN or password.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class LanguageForm(PortalForm):
    locale = SelectField(
        _l("Language"), choices=[SelectChoice("en", "English"), SelectChoice("zh_Hans", "简体中文")]
    )
    next = HiddenField()


class ConfirmIdentityForm(PortalForm):
    secret = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=128)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
    next = HiddenField()
