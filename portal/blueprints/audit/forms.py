from wtforms import DateField, IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import Length, Optional

from portal.forms import PortalForm, nfkc, no_invisible
from portal.i18n import lazy_gettext as _l

# Record numbers are database ids: beyond this no record has one (and no query is sent).
MAX_RECORD_NUMBER = 2**31 - 1


class AuditFilterForm(PortalForm):
    """GET filters of the trail. The kinds of record are the ones the modules register."""

    class Meta(PortalForm.Meta):
        csrf = False

    actor = StringField(
        _l("Done by"),
        filters=[nfkc],
        validators=[Optional(), Length(max=80), no_invisible],
        render_kw={"placeholder": _l("Name or staff number")},
    )
    subject = StringField(
        _l("Done to (a person)"),
        filters=[nfkc],
        validators=[Optional(), Length(max=80), no_invisible],
        render_kw={"placeholder": _l("Name or staff number")},
    )
    object_type = SelectField(_l("Kind of record"), validators=[Optional()])
    object_id = IntegerField(
        _l("Record number"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric"},
    )
    date_from = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    date_to = DateField(_l("To"), validators=[Optional()], render_kw={"type": "date"})

    def validate_object_id(self, field):
        if field.data is not None and not 1 <= field.data <= MAX_RECORD_NUMBER:
            raise ValidationError(_l("Enter a positive number."))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
