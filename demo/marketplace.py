"""Marketplace: categories, 60 experts with photos, offerings in five currencies.

Deterministic (one seeded ``random.Random``, fixed dates) and idempotent: an
expert whose account already exists is left alone, so a second run changes
nothing. Pages are created through Wagtail's tree API but without revisions;
a revision appears only when an expert submits an edit for review.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Page

from accounts.models import User
from cms_pages.models import HomePage
from core.money import Money
from marketplace.models import Category, ExpertIndexPage, ExpertProfile, Language
from marketplace.services import expert_profile_create, package_create, session_type_create

from .base import Log, Tally
from .marketplace_content import BIOS, CATEGORIES, CREDENTIALS, FIRST_NAMES, HEADLINES, LAST_NAMES, PLACES

DEMO_EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SEED = 20260105

# (slug, name, description, [(slug, name, [skills])])

PALETTE = ["#1d3a8a", "#0f766e", "#7c3aed", "#b45309", "#be123c", "#0369a1", "#4d7c0f", "#9d174d"]
EXPERT_COUNT = 60
DEMO_EXPERT_EMAIL = "expert@taptime.example"


def _photo_bytes(*, initials: str, rng: random.Random) -> bytes:
    """A 400×400 avatar: coloured ground, soft shapes and the initials."""
    image = PILImage.new("RGB", (400, 400), rng.choice(PALETTE))
    draw = ImageDraw.Draw(image)
    for _shape in range(3):
        x, y, r = rng.randint(0, 400), rng.randint(0, 400), rng.randint(60, 160)
        shade = tuple(min(255, c + 40) for c in image.getpixel((0, 0)))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    font = ImageFont.load_default(size=150)
    draw.text((200, 200), initials, fill="#ffffff", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def _seed_categories(tally: Tally) -> dict[str, tuple[Category, list[str]]]:
    subcategories: dict[str, tuple[Category, list[str]]] = {}
    for order, (slug, name, description, children) in enumerate(CATEGORIES):
        parent, created = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "sort_order": order,
                "seo_title": f"{name} experts — 1:1 video sessions",
                "seo_description": f"Book a 1:1 video session with a vetted {name.lower()} expert. {description}"[:160],
            },
        )
        tally.add("categories", created)
        for child_order, (child_slug, child_name, skills) in enumerate(children):
            child, created = Category.objects.get_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "parent": parent,
                    "sort_order": child_order,
                    "description": f"{child_name} experts for 1:1 sessions: {', '.join(skills[:3])} and more.",
                },
            )
            tally.add("categories", created)
            subcategories[child_slug] = (child, skills)
    return subcategories


def _seed_index_page(tally: Tally) -> ExpertIndexPage | None:
    index_page = ExpertIndexPage.objects.first()
    if index_page is None:
        home = HomePage.objects.first()
        if home is None:
            return None
        index_page = ExpertIndexPage(
            title="Experts",
            slug="experts",
            intro="Vetted experts for 1:1 video sessions. Search by skill, or filter by price, rating and language.",
            seo_title="Browse experts — book a 1:1 video session",
            search_description="Find a vetted expert by skill, price, rating and language, and book a 1:1 video "
            "session in your own time zone.",
            live=True,
            has_unpublished_changes=False,
            first_published_at=DEMO_EPOCH,
            last_published_at=DEMO_EPOCH,
        )
        home.add_child(instance=index_page)
        tally.add("pages", True)
    return index_page


def seed(*, log: Log) -> str:
    tally = Tally()
    rng = random.Random(SEED)
    subcategories = _seed_categories(tally)
    index_page = _seed_index_page(tally)
    if index_page is None:
        return "skipped: no home page"
    languages = {language.code: language for language in Language.objects.all()}
    image_model = get_image_model()
    sub_slugs = list(subcategories)
    name_pairs = [(first, last) for first, last in zip(FIRST_NAMES * 2, LAST_NAMES[::-1] + LAST_NAMES, strict=True)]
    for number in range(EXPERT_COUNT):
        # Every random draw happens whether or not the expert exists, so the
        # sequence (and so every later expert) is the same on every run.
        first, last = name_pairs[number]
        place = PLACES[number % len(PLACES)]
        primary = sub_slugs[number % len(sub_slugs)]
        secondary = rng.choice(sub_slugs)
        years = rng.randint(3, 25)
        hourly_major = rng.choice([35, 45, 60, 75, 90, 120, 150, 200])
        # These draws once made up ratings and session counts. The demo seeds none any more
        # (a rating shows only when reviews back it; sessions completed count real bookings),
        # but the draws stay so every later draw, and so every expert, is what it was.
        if rng.random() > 0.15:
            rng.randint(38, 50), rng.randint(3, 240)
        rng.randint(2, 4), rng.randint(0, 30)
        extra_languages = rng.sample(["es", "fr", "de", "pt", "ja", "hi", "zh", "ar"], k=rng.randint(0, 2))
        headline_template = rng.choice(HEADLINES)
        bio_template = rng.choice(BIOS)
        credentials = rng.sample(CREDENTIALS, k=rng.randint(1, 3))
        durations = rng.choice([(30, 60), (60, 90), (30, 60, 90), (45, 60)])
        with_package = rng.random() > 0.4
        photo_rng = random.Random(SEED + number)

        email = DEMO_EXPERT_EMAIL if number == 0 else f"{slugify(first)}.{slugify(last)}@experts.taptime.example"
        user = User.objects.filter(email=email).first()
        if user is not None and ExpertProfile.objects.filter(user=user).exists():
            tally.add("experts", False)
            continue
        if user is None:
            user = User.objects.create_user(
                email=email, full_name=f"{first} {last}", time_zone=place[0], is_expert=True
            )
        sub, skills = subcategories[primary]
        sub2, skills2 = subcategories[secondary]
        skill, skill2 = skills[0 if number % 2 else 1], skills[-1]
        fmt = {"years": years, "sub": sub.name, "sub_lower": sub.name.lower(), "skill": skill, "skill2": skill2}
        initials = f"{user.full_name[0]}{user.full_name.split()[-1][0]}"
        photo = image_model(
            title=f"Photo of {user.full_name}",
            description=f"Photo of {user.full_name}",
            file=ImageFile(io.BytesIO(_photo_bytes(initials=initials, rng=photo_rng)), name=f"expert-{number:03d}.jpg"),
        )
        photo.save()
        page_languages = [
            languages["en"],
            *[languages[code] for code in {*place[2], *extra_languages} if code in languages],
        ]
        profile = expert_profile_create(
            user=user,
            index_page=index_page,
            headline=headline_template.format(**fmt),
            bio=bio_template.format(**fmt),
            currency=place[1],
            time_zone=user.time_zone,
            categories=[sub, sub.parent] + ([sub2] if sub2 != sub else []),
            languages=sorted(set(page_languages), key=lambda language: language.code),
            skills=list(dict.fromkeys([*skills[:3], *skills2[:1]])),
            photo=photo,
            years_experience=years,
            credentials="\n".join(credentials),
            published_at=DEMO_EPOCH + timedelta(days=number),
        )
        created_types = {}
        for duration in durations:
            price = Money.from_major(Decimal(hourly_major) * duration / 60, place[1])
            created_types[duration] = session_type_create(profile=profile, duration_minutes=duration, price=price)
        if with_package:
            base = created_types[durations[-1]]
            package_create(
                profile=profile,
                session_type=base,
                sessions_count=5,
                price=Money(base.price_minor * 5 * 9 // 10, place[1]),  # 10% off five sessions
                validity_days=120,
            )
        tally.add("experts", True)
    if not Page.objects.filter(pk=index_page.pk, numchild__gte=EXPERT_COUNT).exists():
        log("warning: fewer expert pages than expected")
    return tally.summary()
