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


# What saving a form can raise besides a DomainError: a concurrent edit (the row's version
# moved) or a version field that was tampered with.
def _stale_errors():
    from sqlalchemy.orm.exc import StaleDataError

    return (StaleDataError, ValueError)


def save_errors() -> tuple[type[Exception], ...]:
    return (DomainError, *_stale_errors())


def form_error(error: Exception, stale_message: str) -> DomainError:
    """The message to show for a failed save: the service's own, or 'changed by someone else'."""
    return error if isinstance(error, DomainError) else DomainError(stale_message)
