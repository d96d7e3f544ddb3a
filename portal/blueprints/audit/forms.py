from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, ValidationError
from wtforms.validators import Length, NumberRange, Optional, Regexp

from portal.forms import PortalForm, nfkc, no_invisible


class AuditFilterForm(PortalForm):
    class Meta(PortalForm.Meta):
        csrf = False

    person = StringField(
        _l("Person (staff number or name)"),
        filters=[nfkc],
        validators=[Optional(), Length(max=80), no_invisible],
    )
    object_type = StringField(
        _l("Object type"),
        filters=[nfkc],
        validators=[
            Optional(),
            Regexp(r"^[a-z_]{1,40}$", message=_l("Use a table name such as users.")),
        ],
    )
    object_id = IntegerField(
        _l("Object number"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter a positive number."))],
        render_kw={"inputmode": "numeric"},
    )
    date_from = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    date_to = DateField(_l("To"), validators=[Optional()], render_kw={"type": "date"})

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
