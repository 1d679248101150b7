"""Deterministic demo pictures drawn with Pillow: nothing is downloaded."""

from __future__ import annotations

import io
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter

from cms_pages.models import CustomImage

PALETTES = [
    ((29, 58, 138), (15, 118, 110), (245, 183, 0)),
    ((20, 42, 102), (232, 238, 252), (15, 118, 110)),
    ((15, 118, 110), (233, 247, 238), (29, 58, 138)),
    ((138, 75, 0), (255, 244, 224), (29, 58, 138)),
    ((80, 40, 120), (240, 230, 250), (245, 183, 0)),
    ((16, 26, 51), (223, 229, 242), (180, 35, 24)),
]


def draw_picture(*, seed: int, width: int = 1600, height: int = 900) -> bytes:
    """A calm abstract picture (gradient, soft circles, a few bars), the same for the same seed."""
    rng = random.Random(seed)
    start, end, accent = PALETTES[seed % len(PALETTES)]
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(start, end, strict=True)))
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for _ in range(7):
        radius = rng.randint(height // 8, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        shapes.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(*accent, rng.randint(40, 110)))
    for index in range(4):
        left = width // 10 + index * width // 6
        top = height - rng.randint(height // 5, height // 2)
        shapes.rounded_rectangle([left, top, left + width // 12, height - height // 10], 18, fill=(255, 255, 255, 150))
    overlay = overlay.filter(ImageFilter.GaussianBlur(2))
    picture = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def demo_image(
    *, title: str, description: str, seed: int, size: tuple[int, int] = (1600, 900)
) -> tuple[CustomImage, bool]:
    """Find the demo image by title, or draw and store it."""
    existing = CustomImage.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    data = draw_picture(seed=seed, width=size[0], height=size[1])
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
    image = CustomImage(title=title, description=description)
    image.file = ImageFile(io.BytesIO(data), name=f"demo-{slug}.jpg")
    image.save()
    return image, True
