"""Where private catalogue files live: expert applicants' documents and photos.

``STORAGES["private"]`` is a folder outside ``MEDIA_ROOT`` with no base URL in the
demo, development and tests, and a private S3 bucket in production
(``taptime/settings/production.py``). Nothing in it has a public address: files
are read back only by views that check who asks on every request
(``marketplace.views.application_documents``).
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    # A callable, so migrations record this function rather than a settings-dependent
    # storage instance, and tests that swap STORAGES see the swap.
    return storages["private"]
