from .application_files import application_document_file, application_photo_file
from .applications import application_apply, application_document_delete, application_status, application_step
from .expert_area import (
    expert_offerings,
    expert_package_delete,
    expert_package_edit,
    expert_profile_edit,
    expert_session_type_delete,
    expert_session_type_edit,
)
from .launch import expert_page_preview, expert_page_publish
from .questionnaire import expert_questionnaire

__all__ = [
    "application_apply",
    "application_document_delete",
    "application_document_file",
    "application_photo_file",
    "application_status",
    "application_step",
    "expert_offerings",
    "expert_package_delete",
    "expert_package_edit",
    "expert_page_preview",
    "expert_page_publish",
    "expert_profile_edit",
    "expert_questionnaire",
    "expert_session_type_delete",
    "expert_session_type_edit",
]
