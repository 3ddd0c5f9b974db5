"""WSGI entry point for gunicorn: `gunicorn edu.wsgi:app`."""

from edu import create_app

app = create_app()
