"""The renditions the public templates ask for, made when an image is saved rather than by the first visitor.

Each public ``{% picture %}`` asks for every size in AVIF, WebP and JPEG (the browser takes the
first type it can show, in the ``srcset`` width it needs). Encoding them, AVIF above all, costs
up to a second an image; a visitor who happened to be first would wait for it. Saving an image
(an upload, a new focal point, a replaced file) queues ``cms_pages.tasks.generate_image_renditions``
after the commit, which makes every one of them once (``image_renditions_generate``).

The filters here must follow the templates; ``tests/cms_pages/test_renditions.py`` renders the
public pages after the job and fails if any of them still had to make a rendition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django_q.tasks import async_task
from wagtail.images import get_image_model

FORMATS = ("avif", "webp", "jpeg")


def _picture(sizes: str, *specs: str) -> list[str]:
    """The filters of ``{% picture image format-{avif,webp,jpeg} <sizes>-{specs} %}``."""
    # In the order the tag writes them (format first): a rendition is found by this exact string.
    return [f"format-{image_format}|{sizes}-{spec}" for spec in specs for image_format in FORMATS]


PUBLIC_RENDITION_FILTERS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            # Home hero (cms_pages/home_page.html).
            *_picture("fill", "480x360", "800x600"),
            # Blog post and standard page hero (blog/blog_page.html, cms_pages/standard_page.html).
            *_picture("fill", "480x270", "800x450", "1200x675"),
            # Blog cards (blog/includes/post_card.html).
            *_picture("fill", "400x225", "800x450"),
            # Author and expert portraits (blog/blog_page.html, marketplace/expert_page.html).
            *_picture("fill", "96x96", "192x192"),
            *_picture("fill", "160x160", "320x320"),
            # Figures in page bodies (blocks/figure_block.html).
            *_picture("width", "480", "800", "1200"),
            # Social cards and JSON-LD (site_tags.seo_tags, structured data).
            "fill-1200x630|format-jpeg",
            "fill-320x320",
            # Browse cards (marketplace.models.querysets.CARD_PHOTO_SPEC) and the header logo.
            "fill-160x160",
            "height-64|format-webp",
        ]
    )
)


def image_renditions_generate(*, image_id: int) -> int:
    """Make every public rendition of one image that does not exist yet; returns how many there are.

    Idempotent: existing renditions are found in one query and kept. A deleted image is no error.
    """
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return len(image.get_renditions(*PUBLIC_RENDITION_FILTERS))


def _image_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or not instance.file or not settings.IMAGE_RENDITIONS_ON_SAVE:
        return
    image_id = instance.pk
    transaction.on_commit(
        lambda: async_task("cms_pages.tasks.generate_image_renditions", image_id, task_name="image-renditions"),
        robust=True,
    )


def connect() -> None:
    post_save.connect(_image_saved, sender=get_image_model(), dispatch_uid="cms_image_renditions")
