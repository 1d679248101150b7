"""Every change to the catalogue: profiles and their pages, photos, offerings, search documents."""

from .offerings import (
    expert_profile_refresh_price_from,
    package_create,
    package_delete,
    package_update,
    session_type_create,
    session_type_delete,
    session_type_update,
)
from .photos import expert_photo_ingest
from .profiles import expert_page_submit_changes, expert_profile_create, expert_source_page

__all__ = [
    "expert_page_submit_changes",
    "expert_photo_ingest",
    "expert_profile_create",
    "expert_profile_refresh_price_from",
    "expert_source_page",
    "package_create",
    "package_delete",
    "package_update",
    "session_type_create",
    "session_type_delete",
    "session_type_update",
]
