"""The public site: home, marketing pages, FAQ, forms, settings and translations."""

from __future__ import annotations

import uuid

from django.conf import settings
from wagtail.models import Locale, Page, Site

from cms_pages.models import FaqPage, FormField, FormPage, HomePage, NavigationSettings, SiteSettings, StandardPage

from .base import Log, Tally
from .images import demo_image
from .site_content import ABOUT, FAQ, HOME, STANDARD_PAGES

# Stable block ids keep a second run from seeing a "changed" body.
_NAMESPACE = uuid.UUID("7f1d3c1e-6a53-4c4b-9a43-9b7f6a0c0001")


def _id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(map(str, parts))))


def _link(*, url: str = "", page: Page | None = None, label: str = "") -> dict:
    return {"label": label, "page": page.pk if page else None, "url": url}


def home_body(language: str) -> list[dict]:
    copy = HOME[language]
    return [
        {
            "type": "how_it_works",
            "id": _id(language, "steps"),
            "value": {
                "heading": copy["steps_heading"],
                "steps": [{"title": title, "text": text} for title, text in copy["steps"]],
            },
        },
        {
            "type": "featured_categories",
            "id": _id(language, "categories"),
            "value": {
                "heading": copy["categories_heading"],
                "categories": [
                    # Each tile opens its category's browse page (/experts/<category slug>/).
                    {"title": title, "text": text, "link": _link(url=f"/experts/{slug}/", label=title)}
                    for slug, title, text in copy["categories"]
                ],
            },
        },
        # Empty until expert pages exist: the block then renders nothing.
        {
            "type": "featured_experts",
            "id": _id(language, "experts"),
            "value": {"heading": copy["experts_heading"], "pages": []},
        },
        {
            "type": "testimonials",
            "id": _id(language, "testimonials"),
            "value": {
                "heading": copy["testimonials_heading"],
                "testimonials": [{"quote": q, "name": n, "role": r} for q, n, r in copy["testimonials"]],
            },
        },
        {
            "type": "call_to_action",
            "id": _id(language, "cta"),
            "value": {
                "title": copy["cta_title"],
                "text": copy["cta_text"],
                "link": _link(url="/join/", label=copy["cta_label"]),
            },
        },
    ]


def simple_body(key: str, items: list[tuple[str, str | None]]) -> list[dict]:
    blocks = []
    for index, (kind, value) in enumerate(items):
        block_id = _id(key, index)
        if kind == "heading":
            blocks.append({"type": "heading", "id": block_id, "value": {"text": value, "level": "h2"}})
        elif kind == "paragraph":
            blocks.append({"type": "paragraph", "id": block_id, "value": value})
        elif kind == "how_it_works_learners":
            blocks.append(
                {
                    "type": "how_it_works",
                    "id": block_id,
                    "value": {
                        "heading": "For learners",
                        "steps": [{"title": t, "text": x} for t, x in HOME["en"]["steps"]],
                    },
                }
            )
        elif kind in ("cta_join", "cta_apply"):
            # Both lead to the online application (/join/apply/): the join page first, then the form.
            url, label, text = (
                (
                    "/join/",
                    "How to join as an expert",
                    "Apply online in about 15 minutes; our reviewers usually decide within a few working days.",
                )
                if kind == "cta_join"
                else (
                    "/join/apply/",
                    "Start your application",
                    "Sign up or sign in, then tell us about you, your offer and your credentials. "
                    "Your answers are saved after every step.",
                )
            )
            blocks.append(
                {
                    "type": "call_to_action",
                    "id": block_id,
                    "value": {"title": "Ready when you are", "text": text, "link": _link(url=url, label=label)},
                }
            )
    return blocks


def faq_groups(language: str) -> list[dict]:
    return [
        {
            "type": "group",
            "id": _id("faq", language, g),
            "value": {"topic": topic, "questions": [{"question": q, "answer": f"<p>{a}</p>"} for q, a in questions]},
        }
        for g, (topic, questions) in enumerate(FAQ[language]["groups"])
    ]


def _publish(page: Page) -> None:
    page.save_revision().publish()


def ensure_child(parent: Page, model: type[Page], *, slug: str, **fields) -> tuple[Page, bool]:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    _publish(page)
    return page, True


def ensure_translation(page: Page, locale: Locale, **fields) -> tuple[Page, bool]:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing, False
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    _publish(translated)
    return translated, True


def seed(*, log: Log) -> str:
    tally = Tally()
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}

    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locales["en"]).first()
    hero, made = demo_image(
        title="Demo: learner on a video call", description="A learner and an expert meet on a video call", seed=1
    )
    tally.add("images", made)
    social, made = demo_image(
        title="Demo: TapTime social card",
        description="TapTime: 1:1 sessions with vetted experts",
        seed=2,
        size=(1200, 630),
    )
    tally.add("images", made)
    created = home is None
    if created:
        # Wagtail's first migration leaves a plain "Welcome" page at the slug we want.
        for stray in root.get_children().exact_type(Page).filter(slug="home"):
            stray.delete()
        copy = HOME["en"]
        home = HomePage(
            slug="home",
            locale=locales["en"],
            **{
                k: copy[k]
                for k in ("title", "seo_title", "search_description", "hero_title", "hero_text", "hero_cta_label")
            },
        )
        root.add_child(instance=home)
        _publish(home)
        log("created the home page")
    tally.add("pages", created)
    if not home.body:
        # Also upgrades a home page seeded before the body existed.
        home.body = home_body("en")
        home.hero_image = hero
        home.save()
        _publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="TapTime"
        )
    elif site.root_page_id != home.pk or site.site_name != "TapTime":
        site.root_page = home
        site.site_name = "TapTime"
        site.save()

    about, made = ensure_child(
        home,
        StandardPage,
        slug="about",
        title=ABOUT["en"]["title"],
        intro=ABOUT["en"]["intro"],
        search_description=ABOUT["en"]["intro"][:160],
        hero_image=hero,
        body=simple_body("about-en", ABOUT["en"]["body"]),
    )
    tally.add("pages", made)
    for spec in STANDARD_PAGES:
        _page, made = ensure_child(
            home,
            StandardPage,
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            search_description=spec["intro"][:160],
            body=simple_body(spec["slug"], spec["body"]),
        )
        tally.add("pages", made)
    faq, made = ensure_child(
        home,
        FaqPage,
        slug="faq",
        title=FAQ["en"]["title"],
        intro=FAQ["en"]["intro"],
        search_description="Answers about booking, paying, sessions and becoming an expert on TapTime.",
        groups=faq_groups("en"),
    )
    tally.add("pages", made)
    for slug, title, intro, fields in [
        (
            "contact",
            "Contact us",
            "<p>Questions about a booking, a payment or working with us? We reply within one working day.</p>",
            [
                ("Your name", "singleline", True, ""),
                ("Email", "email", True, ""),
                ("Topic", "dropdown", True, "Booking\nPayment\nBecoming an expert\nPress\nSomething else"),
                ("Message", "multiline", True, ""),
            ],
        ),
        (
            "feedback",
            "Share your feedback",
            "<p>Tell us what works and what doesn't. Every message is read by the team.</p>",
            [
                ("How was your experience?", "radio", True, "Great\nGood\nOkay\nPoor"),
                ("What should we improve?", "multiline", True, ""),
                ("Email (optional, if you want a reply)", "email", False, ""),
            ],
        ),
    ]:
        page = FormPage.objects.child_of(home).filter(slug=slug).first()
        made = page is None
        if made:
            page = FormPage(
                slug=slug,
                title=title,
                intro=intro,
                search_description=f"{title} — TapTime",
                thank_you_title="Thank you!",
                thank_you_text="<p>Your message is with our team. We reply within one working day.</p>",
                to_address=", ".join(settings.STAFF_NOTIFICATION_EMAILS),
                from_address="no-reply@taptime.example",
                subject=f"New {slug} form submission",
                submit_label="Send",
            )
            for order, (label, kind, required, choices) in enumerate(fields):
                page.form_fields.add(
                    FormField(sort_order=order, label=label, field_type=kind, required=required, choices=choices)
                )
            home.add_child(instance=page)
            _publish(page)
        tally.add("pages", made)

    site_settings = SiteSettings.for_site(site)
    if site_settings.default_social_image_id is None:
        site_settings.default_social_image = social
        site_settings.twitter_handle = "@taptime"
        site_settings.linkedin_url = "https://www.linkedin.com/company/taptime-example"
        site_settings.instagram_url = "https://www.instagram.com/taptime.example"
        site_settings.save()
    nav = NavigationSettings.for_site(site)
    if not nav.main_menu:
        how = StandardPage.objects.child_of(home).get(slug="how-it-works")
        join = StandardPage.objects.child_of(home).get(slug="join")
        # Labels are the interface's own phrases, so the menus read in Spanish and German too
        # (cms_pages.selectors.menu_links); links follow each page's translation where it has one.
        nav.main_menu = [
            {"type": "link", "id": _id("nav", "experts"), "value": _link(url="/experts/", label="Browse experts")},
            {"type": "link", "id": _id("nav", "how"), "value": _link(page=how, label="How it works")},
            {"type": "link", "id": _id("nav", "blog"), "value": _link(url="/blog/", label="Blog")},
            {"type": "link", "id": _id("nav", "join"), "value": _link(page=join, label="Join as expert")},
        ]
        footer_pages = [(about, "About"), (faq, "FAQ")] + [
            (Page.objects.child_of(home).get(slug=slug), label)
            for slug, label in (
                ("contact", "Contact"),
                ("feedback", "Feedback"),
                ("privacy", "Privacy"),
                ("terms", "Terms"),
            )
        ]
        nav.footer_menu = [
            {"type": "link", "id": _id("footer", p.slug), "value": _link(page=p, label=label)}
            for p, label in footer_pages
        ]
        nav.save()

    for code in ("es", "de"):
        copy = HOME[code]
        _t, made = ensure_translation(
            home,
            locales[code],
            body=home_body(code),
            **{
                k: copy[k]
                for k in ("title", "seo_title", "search_description", "hero_title", "hero_text", "hero_cta_label")
            },
        )
        tally.add(f"{code} pages", made)
        _t, made = ensure_translation(
            about,
            locales[code],
            title=ABOUT[code]["title"],
            intro=ABOUT[code]["intro"],
            search_description=ABOUT[code]["intro"][:160],
            body=simple_body(f"about-{code}", ABOUT[code]["body"]),
        )
        tally.add(f"{code} pages", made)
        _t, made = ensure_translation(
            faq,
            locales[code],
            title=FAQ[code]["title"],
            intro=FAQ[code]["intro"],
            search_description=FAQ[code]["intro"],
            groups=faq_groups(code),
        )
        tally.add(f"{code} pages", made)
    return tally.summary()
