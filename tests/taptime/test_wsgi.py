"""The WSGI entry point freezes start-up's objects, so no request pays a full collection's walk over them."""

import gc

from django.urls import get_resolver

from taptime import wsgi


def test_startup_objects_are_frozen_with_every_view_loaded():
    try:
        frozen = wsgi.freeze_startup_objects()
        assert frozen > 10_000 and gc.get_freeze_count() == frozen
        # The URL configuration (so every view module) was loaded before the freeze.
        assert "url_patterns" in get_resolver().__dict__
        assert wsgi.application is not None
    finally:
        gc.unfreeze()
