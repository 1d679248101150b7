"""WSGI entry point (gunicorn taptime.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.production")

application = get_wsgi_application()
