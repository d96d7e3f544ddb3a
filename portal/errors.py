"""Domain errors: raised by services, shown by views next to the field they concern."""


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def attach(self, form) -> None:
        """Put the message under its field (or the form's general errors)."""
        field = getattr(form, self.field, None) if self.field else None
        if field is not None:
            field.errors = [*field.errors, self.message]
        else:
            form.form_errors.append(self.message)


class FieldErrors(DomainError):
    """Several fields wrong at once (`errors`: field name -> message), each shown next to its
    field; `message` goes above the form. A service raises it when it checks a whole record, so
    that a person fixes everything in one go rather than one field per attempt."""

    def __init__(self, errors: dict[str, str], message: str | None = None):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(message or first_message, None if message else first_field)
        self.errors = errors
        self.summary = message

    def attach(self, form) -> None:
        if self.summary:
            form.form_errors.append(self.summary)
        for name, message in self.errors.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
            elif not self.summary:
                form.form_errors.append(message)
