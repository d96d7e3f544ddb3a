from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import LANGUAGE_CHOICES, PortalForm, no_invisible
from portal.i18n import lazy_gettext as _l


class TerminalForm(PortalForm):
    name = StringField(
        _l("Terminal name"),
        validators=[DataRequired(_l("Give the terminal a name.")), Length(max=80), no_invisible],
    )
    location = StringField(_l("Where it stands"), validators=[Length(max=120)])
    property_id = SelectField(_l("Property"), coerce=int)
    default_locale = SelectField(
        _l("Default language"),
        choices=LANGUAGE_CHOICES,
        validators=[Optional()],
    )
