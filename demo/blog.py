"""The blog: index, authors, categories and a dozen posts with drawn images."""

from __future__ import annotations

import datetime as dt
import uuid

from wagtail.models import Locale

from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPage
from cms_pages.models import HomePage

from .base import Log, Tally
from .images import demo_image
from .site import ensure_child

# Dates count back from a constant, so every run writes the same ones.
DEMO_TODAY = dt.date(2026, 11, 1)
_NAMESPACE = uuid.UUID("7f1d3c1e-6a53-4c4b-9a43-9b7f6a0c0002")

AUTHORS = [
    (
        "Maya Okafor",
        "Head of learning",
        "Maya spent ten years teaching engineers to teach. She writes about learning that sticks.",
    ),
    (
        "Tomás Ribeiro",
        "Community lead",
        "Tomás talks to our experts every week and shares what the best of them do differently.",
    ),
    ("Hanna Vogel", "Product designer", "Hanna designs the booking experience and writes about remote collaboration."),
]
CATEGORIES = ["Learning", "For experts", "Careers", "Product news"]

# (title, intro, category, tags, key points)
POSTS = [
    (
        "How to prepare for your first 1:1 session",
        "Thirty minutes go fast. A little preparation turns a pleasant chat into a real step forward.",
        "Learning",
        ["getting-started", "tips"],
        [
            "Write down the one question you most want answered.",
            "Share context in advance: a repository, a draft, a pitch deck.",
            "Leave five minutes at the end to agree on next steps.",
        ],
    ),
    (
        "Five signs you need a mentor, not another course",
        "Courses are great for foundations. When you are stuck on your specific problem, a person helps more.",
        "Learning",
        ["mentoring", "careers"],
        [
            "You keep rewatching the same tutorial.",
            "Your question starts with 'in my case'.",
            "You need feedback, not information.",
        ],
    ),
    (
        "Pricing your expertise: a practical guide",
        "What should you charge for an hour of your knowledge? Start from value, not from your salary.",
        "For experts",
        ["pricing", "experts"],
        [
            "Look at what learners save by asking you.",
            "Offer a shorter session for learners who want to try first.",
            "Raise prices when your calendar fills up.",
        ],
    ),
    (
        "Designing a great intro session",
        "The first session decides whether a learner comes back. Here is what experienced experts do.",
        "For experts",
        ["experts", "tips"],
        [
            "Ask about the goal before giving advice.",
            "Give one concrete exercise to try before the next session.",
            "Send a short summary afterwards.",
        ],
    ),
    (
        "Negotiating a raise with confidence",
        "Preparation beats charisma. How three learners used mock negotiations to get the raise they wanted.",
        "Careers",
        ["negotiation", "careers"],
        [
            "Collect evidence of your impact.",
            "Rehearse the hard questions with someone experienced.",
            "Decide your walk-away point in advance.",
        ],
    ),
    (
        "From bootcamp to first job: what actually helped",
        "We asked junior developers which sessions made the difference in their job search.",
        "Careers",
        ["careers", "software"],
        [
            "Portfolio reviews beat generic advice.",
            "Mock interviews reduced anxiety the most.",
            "A second opinion on offers paid off.",
        ],
    ),
    (
        "Time zones without tears",
        "Booking across continents used to be painful. How TapTime shows every slot in your own time.",
        "Product news",
        ["product", "time-zones"],
        [
            "Slots are stored in UTC and shown in your zone.",
            "Daylight-saving changes are handled for you.",
            "Confirmation emails and calendar invites show your own time.",
        ],
    ),
    (
        "Your sessions in one place",
        "Learning is a series of steps. Your dashboard keeps every session together, so the next one is easy.",
        "Product news",
        ["product", "getting-started"],
        [
            "Upcoming and past sessions are listed on your dashboard.",
            "Book the next time on your expert's page.",
            "Cancel up to 24 hours before a session for a full refund.",
        ],
    ),
    (
        "Learning a language one conversation at a time",
        "Apps teach vocabulary. Conversations teach you to speak. Why 1:1 practice works.",
        "Learning",
        ["languages", "tips"],
        [
            "Short, frequent sessions beat long ones.",
            "Ask your expert to correct only one thing at a time.",
            "Record phrases you want to reuse.",
        ],
    ),
    (
        "What makes a great code review session",
        "Reading code together is one of the fastest ways to grow as an engineer.",
        "Learning",
        ["software", "mentoring"],
        ["Pick a small, real pull request.", "Ask why, not just what.", "Turn the feedback into a checklist."],
    ),
    (
        "Building a reputation as a new expert",
        "New on TapTime? How new experts earn their first bookings.",
        "For experts",
        ["experts", "tips"],
        [
            "Write a specific headline, not a job title.",
            "Offer a short intro session.",
            "Read the learner's goals before the session and answer them in it.",
        ],
    ),
    (
        "Our accessibility commitments",
        "Everyone should be able to book and attend a session. What we have done and what comes next.",
        "Product news",
        ["product", "accessibility"],
        [
            "Every page is tested with a keyboard and a screen reader.",
            "Colours meet WCAG AA contrast.",
            "Captions for video sessions are on our roadmap.",
        ],
    ),
]


def post_body(index: int, title: str, intro: str, points: list[str]) -> list[dict]:
    def bid(n: int) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{index}/{n}"))

    items = "".join(f"<li>{point}</li>" for point in points)
    return [
        {
            "type": "paragraph",
            "id": bid(0),
            "value": f"<p>{intro} We asked learners and experts on TapTime what works, and this is what they told us.</p>",
        },
        {"type": "heading", "id": bid(1), "value": {"text": "What works", "level": "h2"}},
        {"type": "paragraph", "id": bid(2), "value": f"<ul>{items}</ul>"},
        {
            "type": "paragraph",
            "id": bid(3),
            "value": "<p>None of this needs special tools. It needs a clear goal, a little preparation and someone who has done it before. "
            "That is exactly what a focused 1:1 session gives you: a direct answer to your situation rather than the general case.</p>",
        },
        {"type": "quote", "id": bid(4), "value": {"quote": points[0], "attribution": "A TapTime expert"}},
        {"type": "heading", "id": bid(5), "value": {"text": "Your next step", "level": "h2"}},
        {
            "type": "paragraph",
            "id": bid(6),
            "value": "<p>Pick one of the ideas above and try it this week. If you want a second pair of eyes, "
            '<a href="/experts/">browse our experts</a> and book a short session.</p>',
        },
    ]


def seed(*, log: Log) -> str:
    tally = Tally()
    home = HomePage.objects.get(locale=Locale.get_default(), depth=2)
    index, made = ensure_child(
        home,
        BlogIndexPage,
        slug="blog",
        title="The TapTime blog",
        intro="Guides, stories and product news about learning from experts.",
        search_description="Guides, stories and product news about learning from experts, one session at a time.",
    )
    tally.add("pages", made)

    authors = []
    for n, (name, role, bio) in enumerate(AUTHORS):
        author = BlogAuthor.objects.filter(name=name).first()
        made = author is None
        if made:
            photo, _ = demo_image(
                title=f"Demo: portrait of {name}", description=f"Portrait of {name}", seed=100 + n, size=(400, 400)
            )
            author = BlogAuthor.objects.create(name=name, role=role, bio=bio, photo=photo)
        authors.append(author)
        tally.add("authors", made)
    categories = {}
    for name in CATEGORIES:
        categories[name], made = BlogCategory.objects.get_or_create(name=name, defaults={})
        tally.add("categories", made)

    for n, (title, intro, category, tags, points) in enumerate(POSTS):
        slug = "-".join(title.lower().replace(":", "").replace(",", "").split())[:60].rstrip("-")
        if BlogPage.objects.child_of(index).filter(slug=slug).exists():
            tally.add("posts", False)
            continue
        image, _ = demo_image(title=f"Demo: {title}", description=f"Illustration for “{title}”", seed=10 + n)
        post = BlogPage(
            slug=slug,
            title=title,
            intro=intro,
            search_description=intro[:160],
            date=DEMO_TODAY - dt.timedelta(days=9 * n),
            author=authors[n % len(authors)],
            hero_image=image,
            body=post_body(n, title, intro, points),
        )
        post.tags.add(*tags)
        index.add_child(instance=post)
        post.categories.set([categories[category]])
        post.save_revision().publish()
        tally.add("posts", True)
    return tally.summary()
