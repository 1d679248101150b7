from .expert_area import (
    expert_offerings,
    expert_package_delete,
    expert_package_edit,
    expert_profile_edit,
    expert_session_type_delete,
    expert_session_type_edit,
)
from .launch import expert_page_preview, expert_page_publish

__all__ = [
    "expert_offerings",
    "expert_package_delete",
    "expert_package_edit",
    "expert_page_preview",
    "expert_page_publish",
    "expert_profile_edit",
    "expert_session_type_delete",
    "expert_session_type_edit",
]
