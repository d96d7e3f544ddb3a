"""portal.widgets renders every field as WTForms' own widget would, to the same HTML, and the
`field` block (label, input, help, errors) with its accessibility attributes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    ColorField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice as C
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal import widgets
from portal.forms import PortalForm

TRICKY = "Quote \" amp & <b>tag</b> 'single' 中文"


class EveryField(PortalForm):
    class Meta(PortalForm.Meta):
        csrf = False

    text = StringField("Text <label>", validators=[DataRequired(), Length(min=2, max=20)])
    plain = StringField("Plain", render_kw={"placeholder": "e.g. HK-003", "data_x_y": "1"})
    area = TextAreaField("Area", validators=[Length(max=2000)], render_kw={"rows": 3})
    number = IntegerField("Number", validators=[Optional(), NumberRange(min=1, max=9)])
    amount = DecimalField("Amount", places=2)
    day = DateField("Day")
    hour = TimeField("Hour")
    email = EmailField("Email")
    search = SearchField("Search", validators=[Length(max=40)])
    phone = TelField("Phone")
    site = URLField("Site")
    colour = ColorField("Colour")
    secret = PasswordField("Secret")
    hidden = HiddenField()
    tick = BooleanField("Tick")
    choice = SelectField(
        "Choice",
        choices=[C("", "—"), C("a", "Alpha"), C("b", TRICKY), C("c", Markup("<i>c</i>"))],
        validators=[DataRequired()],
    )
    coerced = SelectField("Coerced", coerce=int, choices=[C(1, "One"), C(2, "Two")])
    grouped = SelectField(
        "Grouped", choices=[C("f", "Front desk", optgroup="Front"), C("k", "k", optgroup="Back")]
    )
    with_kw = SelectField(
        "With render_kw",
        choices=[C("x", "X", render_kw={"disabled": True}), C("y", "Y")],
    )
    many = SelectMultipleField("Many", choices=[C("1", "One"), C("2", "Two"), C("3", "Three")])
    truth = SelectField("Truth", choices=[C(True, "Yes"), C(False, "No")], coerce=bool)
    radio = RadioField("Radio", choices=[C("r", "R"), C("s", "S")])


SENT = MultiDict(
    {
        "text": TRICKY,
        "plain": "",
        "area": 'line one\nline <two> & "three"',
        "number": "7",
        "amount": "12.5",
        "day": "2026-12-02",
        "hour": "07:30",
        "email": "a@b.example",
        "search": "линь <",
        "phone": "+86 21 5555",
        "site": "https://example.com/?a=1&b=2",
        "colour": "#aabbcc",
        "secret": "hunter2",
        "hidden": 'x"y',
        "tick": "y",
        "choice": "b",
        "coerced": "2",
        "grouped": "k",
        "with_kw": "y",
        "truth": "True",
        "radio": "s",
    }
)
SENT.setlist("many", ["1", "3"])

EXTRAS = [
    {},
    {"class_": "form-control is-invalid", "aria-describedby": "x-error x-help"},
    {"required": True, "autofocus": True, "readonly": False, "data_n_label": 'a"b'},
    {"value": "given", "id": "other-id", "aria_invalid": "true"},
]


def _wtforms(field, **kw):
    """WTForms' own rendering, as Meta.render_field does it without the portal's renderer."""
    from wtforms.widgets.core import clean_key

    kw = {clean_key(k): v for k, v in kw.items()}
    if field.render_kw:
        kw = {**{clean_key(k): v for k, v in field.render_kw.items()}, **kw}
    return field.widget(field, **kw)


@pytest.mark.parametrize("formdata", [None, SENT], ids=["empty", "sent"])
@pytest.mark.parametrize("extra", EXTRAS, ids=range(len(EXTRAS)))
def test_every_field_renders_as_wtforms_does(app, formdata, extra):
    with app.test_request_context():
        form = EveryField(formdata=formdata, data={"day": dt.date(2026, 1, 31)}, amount=Decimal(3))
        form.validate()
        fast_types = set()
        for field in form:
            expected = _wtforms(field, **extra)
            assert str(field(**extra)) == str(expected), field.name
            if type(field.widget) in widgets.RENDERERS:
                fast_types.add(type(field.widget))
        # Every fast renderer was compared (a new one needs a field above).
        assert fast_types == set(widgets.RENDERERS)


def test_a_field_type_without_a_fast_renderer_keeps_its_widget(app):
    with app.test_request_context():
        form = EveryField(formdata=SENT)
        assert type(form.radio.widget) not in widgets.RENDERERS
        assert 'type="radio"' in str(form.radio())
        assert 'checked id="radio-1"' in str(form.radio())


def test_the_field_block_says_what_is_wrong_next_to_the_field(app):
    with app.test_request_context():
        form = EveryField(formdata=MultiDict({"text": "x", "choice": ""}))
        assert not form.validate()
        html = str(widgets.render_field(form.text, help="Two to twenty letters"))
        assert '<label class="form-label" for="text">Text &lt;label&gt;</label>' in html
        assert 'aria-describedby="text-error text-help"' in html
        assert 'aria-invalid="true"' in html
        assert 'class="form-control is-invalid"' in html
        assert '<div id="text-help" class="form-text">Two to twenty letters</div>' in html
        assert 'id="text-error" class="invalid-feedback d-block">' in html
        assert "Field must be between 2 and 20 characters long." in html
        assert "#exclamation-triangle-fill" in html
        assert " required" in html

        select = str(widgets.render_field(form.choice))
        assert 'class="form-select is-invalid"' in select

        tick = str(widgets.render_field(form.tick))
        assert '<div class="form-check portal-check">' in tick
        assert 'class="form-check-input"' in tick
        assert '<label class="form-check-label" for="tick">Tick</label>' in tick
        assert "aria-invalid" not in tick and "has-error" not in tick


def test_the_field_block_escapes_help_and_takes_extra_attributes(app):
    with app.test_request_context():
        form = EveryField()
        html = str(widgets.render_field(form.plain, help="<b>bold</b>", extra={"inputmode": "x"}))
        assert "&lt;b&gt;bold&lt;/b&gt;" in html
        assert 'inputmode="x"' in html
        assert 'placeholder="e.g. HK-003"' in html
        assert 'data-x-y="1"' in html
        assert 'aria-describedby="plain-help"' in html
        assert isinstance(widgets.render_field(form.plain), Markup)  # not escaped again
