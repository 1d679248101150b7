"""WSGI entry point (gunicorn taptime.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taptime.settings.production")

application = get_wsgi_application()


def freeze_startup_objects() -> int:
    """Load every view now and move what start-up made out of the garbage collector's sight.

    Django, Wagtail and DRF leave about 300,000 long-lived objects; a full collection walks
    all of them (0.1–0.5 s) and, every few hundred requests, stalled whichever request
    triggered it: the API's unexplained p99 pauses (benchmarks/RESULTS.md). Frozen objects
    are never scanned, so a full collection only walks what requests made since
    (``gc.freeze``, as Instagram's Django fleet does). Returns how many objects are frozen.
    """
    get_resolver().url_patterns  # noqa: B018 (imports every view and serializer before the freeze)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


freeze_startup_objects()
