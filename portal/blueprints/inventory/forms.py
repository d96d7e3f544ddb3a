"""Inventory forms: quantities and money as Decimal from what people type (full-width digits
too), every id bounded, every choice from the property."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.blueprints.inventory.models import (
    CATEGORY_LABELS,
    LOSS_LABELS,
    MAX_QUANTITY,
    STORE_KIND_LABELS,
    UNIT_LABELS,
)
from portal.forms import PortalForm, nfkc, no_invisible, optional_int, upper
from portal.i18n import lazy_gettext as _l
from portal.idempotency import IdempotentForm
from portal.security import LARGEST_ID
from portal.submit import VersionField

NUMBER = re.compile(r"^\d{1,9}(\.\d{1,6})?$")


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _bounded(message):
    def check(form, field):
        if field.data is not None and not 0 < field.data <= LARGEST_ID:
            raise ValidationError(message)

    return check


class NumberField(StringField):
    """A quantity or an amount as typed ("12", "2.5", "１２"): Decimal, or a clear message."""

    def __init__(self, label=None, validators=None, *, required=True, **kwargs):
        kwargs.setdefault("filters", [nfkc])
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.number = None

    def pre_validate(self, form):
        text = (self.data or "").strip().replace(",", "")
        self.number = None
        if not text:
            if self.required:
                raise ValidationError(_l("Give a number."))
            return
        if not NUMBER.match(text):
            raise ValidationError(_l("Give a number such as 12 or 2.5 (digits only)."))
        try:
            self.number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
            raise ValidationError(_l("Give a number such as 12 or 2.5 (digits only).")) from None


def _id_field(label, message, **kwargs):
    return SelectField(
        label,
        coerce=optional_int,
        validators=[DataRequired(message), _bounded(message)],
        validate_choice=False,
        **kwargs,
    )


class MoveForm(IdempotentForm):
    """One movement of one item; which fields count depends on the kind (the view says)."""

    store_id = _id_field(_l("Store"), _l("Choose the store."))
    quantity = NumberField(_l("Quantity"))
    unit_cost = NumberField(_l("Cost of one unit"), required=False)
    supplier = StringField(_l("Supplier"), validators=[Optional(), Length(max=120), no_invisible])
    department_id = SelectField(
        _l("Department"), coerce=optional_int, validators=[Optional()], validate_choice=False
    )
    to_store_id = SelectField(
        _l("To store"), coerce=optional_int, validators=[Optional()], validate_choice=False
    )
    reason = SelectField(
        _l("Why"), choices=[SelectChoice("", "—"), *_choices(LOSS_LABELS)], validators=[Optional()]
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200), no_invisible])


class ReverseForm(PortalForm):
    why = StringField(
        _l("Why it is reversed"),
        validators=[DataRequired(_l("Say why the movement is reversed.")), Length(max=200)],
    )


class ItemForm(PortalForm):
    code = StringField(
        _l("Code"),
        filters=[upper],
        validators=[
            DataRequired(_l("Give the item a code.")),
            Length(max=24),
            no_invisible,
        ],
    )
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=120)])
    name_zh = StringField(_l("Name in Chinese"), validators=[Optional(), Length(max=120)])
    category = SelectField(_l("Category"), choices=_choices(CATEGORY_LABELS))
    unit = SelectField(_l("Unit"), choices=_choices(UNIT_LABELS))
    unit_cost = NumberField(_l("Cost of one unit"))
    custodian_id = SelectField(
        _l("Custodian (valuable items: only they issue it)"),
        coerce=optional_int,
        validators=[Optional()],
        validate_choice=False,
    )
    version = VersionField()  # of the item the page was loaded with


class ReorderForm(PortalForm):
    reorder_point = NumberField(_l("Reorder point"), required=False)
    reorder_quantity = NumberField(_l("Order quantity"), required=False)


class StoreForm(PortalForm):
    code = StringField(
        _l("Code"),
        filters=[upper],
        validators=[DataRequired(_l("Give the store a code.")), Length(max=16), no_invisible],
    )
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=80)])
    name_zh = StringField(_l("Name in Chinese"), validators=[Optional(), Length(max=80)])
    kind = SelectField(_l("Kind"), choices=_choices(STORE_KIND_LABELS))
    department_id = _id_field(_l("Kept by"), _l("Choose the department that keeps it."))
    floor = IntegerField(
        _l("Floor (pantries)"),
        filters=[nfkc],
        validators=[Optional(), NumberRange(-5, 200, _l("A floor is between -5 and 200."))],
        render_kw={"inputmode": "numeric"},
    )


class RequestForm(IdempotentForm):
    store_id = _id_field(_l("From store"), _l("Choose the store."))
    for_where = StringField(
        _l("For where (a room, an outlet, a desk)"),
        validators=[
            DataRequired(_l("Say where it is needed (a room, an outlet, a desk).")),
            Length(max=80),
            no_invisible,
        ],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=200)])


class DecideForm(PortalForm):
    note = TextAreaField(_l("Note to the requester"), validators=[Optional(), Length(max=200)])


class ParForm(PortalForm):
    item_id = _id_field(_l("Item"), _l("Choose the item."))
    quantity = NumberField(_l("In the room"))
    departure_refill = BooleanField(_l("Replaced after every departure"), default=True)


def line_quantity(raw: str | None, *, required: bool = False) -> tuple[Decimal | None, str | None]:
    """A number typed into a list's row (a request line, a top-up): (value, error)."""
    text = nfkc(raw or "").strip().replace(",", "")
    if not text:
        return (None, _l("Give a number.") if required else None)
    if not NUMBER.match(text):
        return None, _l("Give a number such as 12 or 2.5 (digits only).")
    value = Decimal(text)
    if value > MAX_QUANTITY:
        return None, _l("A quantity is at most 999,999.")
    return value, None


MAX_REQUEST_LINES = 20
IN_FORM_LINES = 6  # empty rows of a new request (with script, "Add an item" adds more)


class FreezeForm(PortalForm):
    show_expected = BooleanField(
        _l("Show the counters what the store expects"),
        description=_l("Leave it off for a blind count: the counters write what they see."),
    )


class CountForm(PortalForm):
    counted = NumberField(_l("Counted"))


class BudgetForm(PortalForm):
    amount = NumberField(_l("Budget"))


class LaundryForm(IdempotentForm):
    """A batch of soiled linen: the linen room it leaves from (the counts are lines)."""

    store_id = _id_field(_l("Linen room"), _l("Choose the linen room."))
