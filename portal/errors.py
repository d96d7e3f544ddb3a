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
