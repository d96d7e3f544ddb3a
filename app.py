"""Entry point: `flask --app app run` for development, `gunicorn app:app` in production."""

from portal import create_app

app = create_app()
