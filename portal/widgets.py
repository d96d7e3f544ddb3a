"""Form fields rendered fast, to the same HTML as WTForms' own widgets.

WTForms builds every attribute with `Markup.format` (a `string.Formatter` that escapes each
value): about 30 µs per input and 10 µs per option, so an SOP editor of twelve steps spent most
of its time there. The renderers below write the same HTML with plain string joins and
markupsafe's C escape. They are used for the widget classes named in RENDERERS, matched by exact
type (a subclass may render differently, so it keeps its own widget; dates and times keep
WTForms' widgets, which format their min and max); tests/test_widgets.py
renders every field type both ways and compares.

`render_field` is the portal's field block (label, input, help, errors), the `field` macro of
_macros/ui.html written in Python for the same reason: a form page calls it dozens of times.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

_CLEAN_KEYS: dict[str, str] = {}


def _key(key: str) -> str:
    cleaned = _CLEAN_KEYS.get(key)
    if cleaned is None:
        cleaned = _CLEAN_KEYS[key] = str(escape(clean_key(key)))
    return cleaned


def html_params(params: dict) -> str:
    """As wtforms.widgets.html_params: sorted by key, True bare, False left out."""
    out = []
    for key in sorted(params):
        value = params[key]
        if value is True:
            out.append(_key(key))
        elif value is not False:
            out.append(f'{_key(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(out)


def _flag_attrs(field, widget, params: dict) -> None:
    flags = getattr(field, "flags", None)
    if flags is None:
        return
    for name in widget.validation_attrs:
        if name not in params and name in flags.__dict__:
            value = getattr(flags, name)
            params[name] = value() if callable(value) else value


def _input(widget, field, params: dict) -> Markup:
    params.setdefault("id", field.id)
    params.setdefault("type", widget.input_type)
    if "value" not in params:
        params["value"] = field._value()
    datalist = getattr(field, "_datalist", None)
    if datalist is not None and "list" not in params:
        params["list"] = datalist if isinstance(datalist, str) else datalist.id
    _flag_attrs(field, widget, params)
    params["name"] = field.name
    return Markup(f"<input {html_params(params)}>")  # noqa: S704 - every value escaped above


def _password(widget, field, params: dict) -> Markup:
    if widget.hide_value:
        params["value"] = ""
    return _input(widget, field, params)


def _number(widget, field, params: dict) -> Markup:
    for name in ("step", "min", "max"):
        if getattr(widget, name) is not None:
            params.setdefault(name, getattr(widget, name))
    return _input(widget, field, params)


def _checkbox(widget, field, params: dict) -> Markup:
    if getattr(field, "checked", field.data):
        params.setdefault("checked", True)
    return _input(widget, field, params)


def _textarea(widget, field, params: dict) -> Markup:
    params.setdefault("id", field.id)
    _flag_attrs(field, widget, params)
    params["name"] = field.name
    inner = escape(field._value())
    return Markup(f"<textarea {html_params(params)}>\r\n{inner}</textarea>")  # noqa: S704


def _option(choice) -> str:
    value = choice.value
    if isinstance(value, bool):
        value = str(value)
    label = escape(choice.label or choice.value)
    if choice.render_kw:
        attrs = {"value": value, **choice.render_kw}
        if choice.selected:
            attrs["selected"] = True
        return f"<option {html_params(attrs)}>{label}</option>"
    value = str(escape(value)).replace('"', "&quot;")
    if choice.selected:
        return f'<option selected value="{value}">{label}</option>'
    return f'<option value="{value}">{label}</option>'


def _select(widget, field, params: dict) -> Markup:
    params.setdefault("id", field.id)
    if widget.multiple:
        params["multiple"] = True
    _flag_attrs(field, widget, params)
    params["name"] = field.name
    html = [f"<select {html_params(params)}>"]
    if field.has_groups():
        for group, choices in field._iter_groups_normalized():
            if group is not None:
                html.append(f"<optgroup {html_params({'label': group})}>")
            html.extend(_option(choice) for choice in choices)
            if group is not None:
                html.append("</optgroup>")
    else:
        html.extend(_option(choice) for choice in field._iter_choices_normalized())
    html.append("</select>")
    return Markup("".join(html))  # noqa: S704 - every value escaped above


RENDERERS = {
    **{
        cls: _input
        for cls in (
            widgets.TextInput,
            widgets.HiddenInput,
            widgets.EmailInput,
            widgets.SearchInput,
            widgets.TelInput,
            widgets.URLInput,
            widgets.ColorInput,
        )
    },
    widgets.NumberInput: _number,
    widgets.PasswordInput: _password,
    widgets.CheckboxInput: _checkbox,
    widgets.TextArea: _textarea,
    widgets.Select: _select,
}


def render_widget(field, render_kw: dict) -> Markup:
    """Meta.render_field of every portal form: the fast renderer where there is one."""
    params = {clean_key(k): v for k, v in render_kw.items()}
    other = getattr(field, "render_kw", None)
    if other:
        params = {**{clean_key(k): v for k, v in other.items()}, **params}
    renderer = RENDERERS.get(type(field.widget))
    if renderer is None:
        return field.widget(field, **params)
    return renderer(field.widget, field, params)


def label(field, cls: str) -> str:
    return f'<label class="{cls}" for="{escape(field.id)}">{escape(field.label.text)}</label>'


def svg_icon(name: str, label=None) -> Markup:
    """A Bootstrap icon from the sprite: decorative (aria-hidden), or an image named `label`
    (the `icon` of _macros/ui.html)."""
    from portal.templating import static_url

    sprite = static_url("vendor/bootstrap-icons/sprite.svg")
    named = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    use = f'<use href="{sprite}#{escape(name)}"></use>'
    return Markup(f'<svg class="bi" {named} focusable="false">{use}</svg>')  # noqa: S704


def _error_icon() -> str:
    return svg_icon("exclamation-triangle-fill")


def render_field(field, help=None, extra=None) -> Markup:
    """The portal's field block: label, input, help and errors, with aria-describedby and
    aria-invalid for the errors (the `field` macro of _macros/ui.html calls it)."""
    errors = field.errors
    described = []
    if errors:
        described.append(f"{field.id}-error")
    if help:
        described.append(f"{field.id}-help")
    html = [f'<div class="mb-3 portal-field{" has-error" if errors else ""}">']
    if field.type == "BooleanField":
        attrs = {"class_": "form-check-input" + (" is-invalid" if errors else "")}
        if described:
            attrs["aria-describedby"] = " ".join(described)
        html.append('<div class="form-check portal-check">')
        html.append(str(field(**attrs)))
        html.append(label(field, "form-check-label"))
        html.append("</div>")
    else:
        html.append(label(field, "form-label"))
        select = field.type in ("SelectField", "SelectMultipleField")
        attrs = {"class_": ("form-select" if select else "form-control")}
        if errors:
            attrs["class_"] += " is-invalid"
        if described:
            attrs["aria-describedby"] = " ".join(described)
        if errors:
            attrs["aria-invalid"] = "true"
        if field.flags.required:
            attrs["required"] = True
        if extra:
            attrs.update(extra)
        html.append(str(field(**attrs)))
    if help:
        html.append(f'<div id="{escape(field.id)}-help" class="form-text">{escape(help)}</div>')
    if errors:
        icon = _error_icon()
        for error in errors:
            html.append(
                f'<div id="{escape(field.id)}-error" class="invalid-feedback d-block">'
                f"{icon} {escape(error)}</div>"
            )
    html.append("</div>")
    return Markup("\n".join(html))  # noqa: S704 - every value escaped above
