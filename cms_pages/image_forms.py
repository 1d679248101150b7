"""The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE); kept apart so models import no forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class CustomImageForm(BaseImageForm):
    """Admin form for images: says what is missing instead of failing at the database."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            "description" in self.fields
            and "is_decorative" in self.fields
            and not cleaned.get("is_decorative")
            and not (cleaned.get("description") or "").strip()
        ):
            self.add_error(
                "description",
                forms.ValidationError(
                    _("Describe the image for people who cannot see it, or mark it as decorative."),
                    code="alt_text_required",
                ),
            )
        return cleaned
