"""Reads shaped for the marketplace screens, each with a fixed number of queries."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from .filters import ExpertBrowseForm
from .models import (
    Booking,
    Category,
    DateOverride,
    ExpertPage,
    ExpertProfile,
    Language,
    Package,
    SessionType,
    WeeklyHours,
)
from .scheduling import Availability, Interval, SchedulingPolicy, WeeklyRule, compute_slots
from .scheduling import DateOverride as OverrideRule
from .search_documents import expert_pages_matching, search_documents_supported

CARD_PHOTO_SPEC = "fill-160x160"
DETAIL_PHOTO_SPEC = "fill-320x320"
PER_PAGE = 12
# Without PostgreSQL (the SQLite demo), keyword search ranks at most this many matches
# with Wagtail's backend; filters and sorting then run in SQL.
SEARCH_LIMIT = 500
COUNT_LIMIT = 1000


CHOICES_CACHE_KEY = "marketplace:browse-choices:v2"


def browse_choices() -> dict[str, Any]:
    """Filter choices and categories by slug, cached until a category or language changes (see signals).

    Routing /experts/<slug>/ and the filter form both read this, so a warm
    browse or category page spends no query on categories or languages.
    """
    choices = cache.get(CHOICES_CACHE_KEY)
    if choices is None:
        ordered = list(
            Category.objects.select_related("parent").order_by(
                Coalesce("parent__sort_order", "sort_order"),
                Coalesce("parent__name", "name"),
                F("parent_id").asc(nulls_first=True),
                "sort_order",
                "name",
            )
        )
        choices = {
            "categories": [(category.slug, str(category)) for category in ordered],
            "languages": list(Language.objects.values_list("code", "name")),
            "by_slug": {category.slug: category for category in ordered},
        }
        cache.set(CHOICES_CACHE_KEY, choices, timeout=3600)
    return choices


def category_by_slug(slug: str) -> Category | None:
    return browse_choices()["by_slug"].get(slug)


def browse_choices_invalidate(**kwargs) -> None:
    cache.delete(CHOICES_CACHE_KEY)


def expert_cards_queryset(*, locale_id: int, base: QuerySet[ExpertPage] | None = None) -> QuerySet[ExpertPage]:
    """Live, active expert pages of one locale, shaped for cards; ``base`` narrows them (a keyword search)."""
    rendition_model = get_image_model().get_rendition_model()
    base = ExpertPage.objects.live() if base is None else base
    return (
        base.filter(locale_id=locale_id, profile__status=ExpertProfile.Status.ACTIVE)
        .select_related("profile", "photo")
        .only(
            *("id", "title", "url_path", "slug", "locale_id", "headline", "photo", "depth", "path", "language_codes"),
            *("profile__currency", "profile__rating_avg", "profile__rating_count", "profile__sessions_completed"),
            *("profile__price_from_minor", "profile__price_from_ref_minor", "profile__status"),
            *("profile__next_available_at", "profile__horizon_days"),
        )
        .prefetch_related(
            # The attribute Wagtail's prefetch_renditions() fills, so {% image %} finds them.
            Prefetch(
                "photo__renditions",
                queryset=rendition_model.objects.filter(filter_spec=CARD_PHOTO_SPEC),
                to_attr="prefetched_renditions",
            ),
        )
    )


SORT_ORDERS = {
    "rating": [F("profile__rating_avg").desc(), F("profile__rating_count").desc(), "pk"],
    "price_asc": [F("profile__price_from_ref_minor").asc(nulls_last=True), "pk"],
    "price_desc": [F("profile__price_from_ref_minor").desc(nulls_last=True), "pk"],
    "sessions": [F("profile__sessions_completed").desc(), "pk"],
}
# "Best match" without a keyword: well-rated, busy experts first.
DEFAULT_ORDER = [F("profile__rating_avg").desc(), F("profile__sessions_completed").desc(), "pk"]


FEATURED_EXPERTS = 4


def featured_experts(*, locale_id: int, limit: int = FEATURED_EXPERTS) -> list[ExpertPage]:
    """The top active experts of one locale (highest rating, then most sessions), shaped for cards.

    Fills the home page's featured-experts block when the editor picked nobody.
    Two queries however many experts exist: the rows, and their photo
    renditions (none without photos).
    """
    return list(expert_cards_queryset(locale_id=locale_id).order_by(*DEFAULT_ORDER)[:limit])


@dataclass
class BrowseResult:
    page: PaginatorPage
    notices: list[str] = field(default_factory=list)
    query: str = ""
    sort: str = "relevance"
    filtered: bool = False
    more: bool = False  # more matches than COUNT_LIMIT


def expert_browse(
    *,
    form: ExpertBrowseForm,
    locale_id: int,
    category: Category | None,
    page_number: Any,
    language_names: dict[str, str],
    per_page: int | None = None,
) -> BrowseResult:
    """Filtered, searched, sorted and paginated expert cards.

    Queries: one page of rows, one capped count (from the cache until the
    catalogue changes) and one for the photo renditions — the same for any page size or number of experts, with or
    without a keyword on PostgreSQL (the keyword matches the page's own indexed
    search document inside the page query; see ``search_documents``). Elsewhere a
    keyword costs one search query first. A short first page needs no count; a
    page past the end costs one more page query.

    The count stops at COUNT_LIMIT: an exact total over thousands of matches
    would make every request scan them all, and nobody pages that far — the
    page says "1,000+" and suggests narrowing the search instead.
    """
    per_page = per_page or PER_PAGE
    data = form.valid_data()
    notices = [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
    if category is not None:
        data["category"] = category.slug
    query = data.get("q") or ""
    sort = data.get("sort") or "relevance"
    searched = None
    if query and search_documents_supported():
        # PostgreSQL: the page's own indexed document; the match is part of the page query.
        searched = expert_pages_matching(query=query, locale_id=locale_id, by_relevance=sort == "relevance")
    queryset = form.apply_filters(expert_cards_queryset(locale_id=locale_id, base=searched), data)
    if query and searched is None:
        ranked = [
            page.pk
            for page in ExpertPage.objects.live()
            .filter(locale_id=locale_id)
            .search(query, operator="and")[:SEARCH_LIMIT]
        ]
        queryset = queryset.filter(pk__in=ranked)
        if sort == "relevance":
            position = Case(
                *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked)], output_field=IntegerField()
            )
            queryset = queryset.order_by(position, "pk") if ranked else queryset
    if not (query and sort == "relevance"):
        queryset = queryset.order_by(*SORT_ORDERS.get(sort, DEFAULT_ORDER))

    number = _page_number(page_number, notices)
    rows = _page_rows(queryset, number, per_page)
    if number == 1 and len(rows) < per_page:
        total = len(rows)  # a short first page is the whole result: no count needed
    else:
        total = _capped_count(queryset, locale_id=locale_id, data=data)
    last = max(1, -(-min(total, COUNT_LIMIT) // per_page))
    if number > last:
        notices.append(
            _("There is no page %(number)s; showing the last page, %(last)s.") % {"number": number, "last": last}
        )
        number = last
        rows = _page_rows(queryset, number, per_page)
    for row in rows:
        row.language_names = [language_names.get(code, code) for code in row.language_codes.split(",") if code]
    paginator = Paginator(queryset, per_page)
    paginator.count = min(total, COUNT_LIMIT)  # counted above: no second COUNT query
    page = PaginatorPage(rows, number, paginator)
    filtered = bool(query) or any(data.get(name) not in (None, "") for name in form.fields if name not in ("q", "sort"))
    return BrowseResult(page=page, notices=notices, query=query, sort=sort, filtered=filtered, more=total > COUNT_LIMIT)


# Counts are shared through the cache until the catalogue changes (see signals.py):
# counting every match is the dearest query of a filtered page, and the same
# filter combinations come back again and again. The timeout is only a backstop.
CATALOGUE_VERSION_KEY = "marketplace:catalogue-version"
COUNT_CACHE_TIMEOUT = 10 * 60


def catalogue_version() -> int:
    return cache.get_or_set(CATALOGUE_VERSION_KEY, 1, timeout=None)


def catalogue_changed(**kwargs) -> None:
    """Every cached browse count goes stale: an expert, a page, a category or a language changed."""
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, 2, timeout=None)


def _current_minute() -> int:
    return int(time.time() // 60)


def _capped_count(queryset: QuerySet, *, locale_id: int, data: dict[str, Any]) -> int:
    """Matches up to COUNT_LIMIT + 1, from the cache when the same filters were counted since the last change."""
    criteria = sorted((name, str(value)) for name, value in data.items() if name not in ("sort", "page", "tz"))
    timeout = COUNT_CACHE_TIMEOUT
    if data.get("available"):
        # "Available within N days" moves with the clock and with bookings, and the
        # next free times are written by bulk updates that send no signal: such a
        # count is kept for the current minute only.
        criteria.append(("minute", str(_current_minute())))
        timeout = 60
    digest = hashlib.sha256(repr((locale_id, criteria)).encode()).hexdigest()[:32]
    key = f"marketplace:browse-count:{catalogue_version()}:{digest}"
    total = cache.get(key)
    if total is None:
        total = queryset.order_by()[: COUNT_LIMIT + 1].count()
        cache.set(key, total, timeout=timeout)
    return total


def _page_rows(queryset: QuerySet, number: int, per_page: int) -> list[ExpertPage]:
    start = (number - 1) * per_page
    return list(queryset[start : start + per_page])


def _page_number(raw: Any, notices: list[str]) -> int:
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except (TypeError, ValueError):
        notices.append(_("“%(page)s” is not a page number; showing the first page.") % {"page": str(raw)[:20]})
        return 1
    if number < 1:
        notices.append(_("Page numbers start at 1; showing the first page."))
        return 1
    return number


def expert_page_detail(*, page: ExpertPage, request) -> dict[str, Any]:
    """Everything the expert page shows besides the page fields: a fixed number of queries."""
    profile = page.profile
    session_types = list(SessionType.objects.filter(profile=profile, is_active=True))
    packages = list(
        Package.objects.filter(profile=profile, is_active=True, session_type__is_active=True).select_related(
            "session_type"
        )
    )
    categories = list(page.categories.select_related("parent"))
    index_page = page.get_parent()
    from .structured_data import expert_page_jsonld

    return {
        "profile": profile,
        "session_types": session_types,
        "packages": packages,
        "expert_categories": categories,
        "expert_languages": _page_languages(page=page, request=request),
        "expert_skills": list(page.skills.all()),
        "index_page": index_page,
        "jsonld": expert_page_jsonld(
            page=page, profile=profile, session_types=session_types, packages=packages, request=request
        ),
    }


def _page_languages(*, page: ExpertPage, request) -> list[Language]:
    """The page's languages by name, from its denormalised codes and the cached names: no query.

    A preview shows an unsaved edit, whose codes are not recomputed yet: it reads the relation.
    """
    if getattr(request, "is_preview", False):
        return list(page.languages.all())
    names = dict(browse_choices()["languages"])
    codes = [code for code in page.language_codes.split(",") if code]
    return sorted((Language(code=code, name=names.get(code, code)) for code in codes), key=lambda item: item.name)


class BusyTimes(NamedTuple):
    """What a hold request must respect, read in one query (``booking_busy_intervals``)."""

    bookings: list[Interval]  # the expert's confirmed sessions in the window
    holds: list[Interval]  # the expert's live holds in the window
    learner_sessions: list[Interval]  # the learner's own confirmed sessions and live holds in the window
    lapsed: int  # held rows of either of them in the window whose time is up
    learner_live_holds: list[tuple[int, int, datetime]]  # (pk, expert id, created) anywhere, if asked for


def booking_busy_intervals(
    *, expert_id: int, learner_id: int, begin: datetime, end: datetime, now: datetime, learner_holds: bool = False
) -> BusyTimes:
    """For a hold request, in one query: the expert's confirmed bookings and live holds
    overlapping [begin, end) (for the slot engine), the learner's own sessions there,
    how many lapsed holds (still ``held``, time up) of either of them lie there, and,
    with ``learner_holds``, every live hold of the learner wherever it lies (for the
    per-learner limit)."""
    lowest_start = begin - Booking.MAX_LENGTH
    window = Q(start__gt=lowest_start, start__lt=end, end__gt=begin)
    condition = (Q(expert_id=expert_id) | Q(learner_id=learner_id)) & window
    if learner_holds:
        condition |= Q(learner_id=learner_id, status=Booking.Status.HELD, hold_expires_at__gt=now)
    rows = Booking.objects.filter(condition, status__in=Booking.SLOT_HOLDING).values_list(
        "pk", "start", "end", "status", "hold_expires_at", "expert_id", "learner_id", "created_at"
    )
    busy = BusyTimes([], [], [], 0, [])
    lapsed = 0
    for pk, start, finish, status, expires, row_expert, row_learner, created in rows:
        live = status == Booking.Status.CONFIRMED or (expires is not None and expires > now)
        if learner_holds and live and row_learner == learner_id and status == Booking.Status.HELD:
            busy.learner_live_holds.append((pk, row_expert, created))
        if not (lowest_start < start < end and finish > begin):
            continue  # only here as one of the learner's live holds elsewhere
        if not live:
            lapsed += 1
            continue
        if row_expert == expert_id:
            (busy.bookings if status == Booking.Status.CONFIRMED else busy.holds).append(Interval(start, finish))
        if row_learner == learner_id:
            busy.learner_sessions.append(Interval(start, finish))
    return busy._replace(lapsed=lapsed)


def expert_scheduling_policy(*, profile: ExpertProfile) -> SchedulingPolicy:
    return SchedulingPolicy(
        min_notice=timedelta(hours=profile.min_notice_hours),
        horizon=timedelta(days=profile.horizon_days),
        buffer=timedelta(minutes=profile.buffer_minutes),
        slot_step=timedelta(minutes=profile.slot_step_minutes),
    )


def expert_availability(*, profile: ExpertProfile, from_date: date | None = None) -> Availability:
    """The expert's stored hours as the slot engine's ``Availability``: two queries, whatever the data.

    Overrides before ``from_date`` (local date; default: all) are left out:
    they can no longer affect a bookable slot and would only grow the object.
    """
    weekly = WeeklyHours.objects.filter(profile=profile).order_by("weekday", "start")
    rows = DateOverride.objects.filter(profile=profile).order_by("date", "start")
    if from_date is not None:
        rows = rows.filter(date__gte=from_date)
    return _availability_from_rows(
        profile=profile,
        weekly_rows=weekly.values_list("weekday", "start", "end"),
        override_rows=rows.values_list("date", "start", "end"),
    )


def expert_availabilities(*, profiles: list[ExpertProfile], from_date: date) -> dict[int, Availability]:
    """``expert_availability`` for many experts at once, by profile id: two queries for any number."""
    ids = [profile.pk for profile in profiles]
    weekly: dict[int, list[tuple]] = {pk: [] for pk in ids}
    overrides: dict[int, list[tuple]] = {pk: [] for pk in ids}
    for profile_id, *row in (
        WeeklyHours.objects.filter(profile_id__in=ids)
        .order_by("profile_id", "weekday", "start")
        .values_list("profile_id", "weekday", "start", "end")
    ):
        weekly[profile_id].append(tuple(row))
    for profile_id, *row in (
        DateOverride.objects.filter(profile_id__in=ids, date__gte=from_date)
        .order_by("profile_id", "date", "start")
        .values_list("profile_id", "date", "start", "end")
    ):
        overrides[profile_id].append(tuple(row))
    return {
        profile.pk: _availability_from_rows(
            profile=profile, weekly_rows=weekly[profile.pk], override_rows=overrides[profile.pk]
        )
        for profile in profiles
    }


def _availability_from_rows(*, profile: ExpertProfile, weekly_rows, override_rows) -> Availability:
    """Stored rows (weekday, start, end) and (date, start?, end?) as the engine's value objects."""
    weekly = tuple(WeeklyRule(weekday=weekday, start=start, end=end) for weekday, start, end in weekly_rows)
    windows_by_date: dict[date, list[tuple]] = {}
    days_off: set[date] = set()
    for day, start, end in override_rows:
        windows = windows_by_date.setdefault(day, [])
        if start is None:
            days_off.add(day)
        else:
            windows.append((start, end))
    for day in days_off:  # a day off wins over windows on the same date
        windows_by_date[day] = []
    overrides = tuple(OverrideRule(date=day, windows=tuple(windows)) for day, windows in windows_by_date.items())
    return Availability(
        time_zone=profile.time_zone,
        weekly=weekly,
        overrides=overrides,
        policy=expert_scheduling_policy(profile=profile),
    )


SLOT_DAYS_PER_PAGE = 7


@dataclass
class SlotDay:
    day: date  # in the viewer's zone
    starts: list[datetime]  # UTC; the template shows them in the viewer's zone


@dataclass
class SlotListing:
    session_type: SessionType
    viewer_zone: str
    expert_zone: str
    week: int
    days: list[SlotDay]
    has_previous: bool
    has_next: bool

    @property
    def is_empty(self) -> bool:
        return not any(day.starts for day in self.days)


def expert_busy_intervals(*, expert_id: int, begin: datetime, end: datetime, now: datetime):
    """The expert's confirmed bookings and live holds overlapping [begin, end), in one query."""
    bookings, holds = [], []
    rows = Booking.objects.filter(
        expert_id=expert_id, status__in=Booking.SLOT_HOLDING, start__lt=end, end__gt=begin
    ).values_list("start", "end", "status", "hold_expires_at")
    for start, finish, status, expires in rows:
        if status == Booking.Status.CONFIRMED:
            bookings.append(Interval(start, finish))
        elif expires is not None and expires > now:
            holds.append(Interval(start, finish))
    return bookings, holds


def experts_busy_intervals(
    *, expert_ids: list[int], begin: datetime, end: datetime, now: datetime
) -> dict[int, tuple[list[Interval], list[Interval]]]:
    """``expert_busy_intervals`` for many experts (user ids) at once: one query for any number."""
    busy: dict[int, tuple[list[Interval], list[Interval]]] = {pk: ([], []) for pk in expert_ids}
    rows = Booking.objects.filter(
        expert_id__in=expert_ids, status__in=Booking.SLOT_HOLDING, start__lt=end, end__gt=begin
    ).values_list("expert_id", "start", "end", "status", "hold_expires_at")
    for expert_id, start, finish, status, expires in rows:
        bookings, holds = busy[expert_id]
        if status == Booking.Status.CONFIRMED:
            bookings.append(Interval(start, finish))
        elif expires is not None and expires > now:
            holds.append(Interval(start, finish))
    return busy


def expert_slot_listing(
    *, profile: ExpertProfile, session_type: SessionType, viewer_zone: str, week: int, now: datetime
) -> SlotListing:
    """One week of bookable starts for a session type, grouped by the viewer's local days: three queries.

    The same engine (``compute_slots``) that ``booking_hold`` validates with
    produces the list, so a listed slot is bookable and an unlisted one is not.
    """
    zone = ZoneInfo(viewer_zone)
    first_day = now.astimezone(zone).date() + timedelta(days=SLOT_DAYS_PER_PAGE * week)
    days = [first_day + timedelta(days=offset) for offset in range(SLOT_DAYS_PER_PAGE)]
    begin = datetime.combine(days[0], datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    availability = expert_availability(profile=profile, from_date=days[0] - timedelta(days=1))
    duration = timedelta(minutes=session_type.duration_minutes)
    margin = availability.policy.buffer + duration + timedelta(days=1)
    bookings, holds = expert_busy_intervals(expert_id=profile.user_id, begin=begin - margin, end=end + margin, now=now)
    slots = compute_slots(
        availability=availability,
        duration=duration,
        range_start=begin,
        range_end=end,
        now=now,
        bookings=bookings,
        holds=holds,
    )
    by_day: dict[date, list[datetime]] = {day: [] for day in days}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(zone).date(), []).append(slot.start)
    return SlotListing(
        session_type=session_type,
        viewer_zone=viewer_zone,
        expert_zone=profile.time_zone,
        week=week,
        days=[SlotDay(day=day, starts=by_day[day]) for day in days],
        has_previous=week > 0,
        has_next=end < now + availability.policy.horizon,
    )


# --- Sessions on the dashboards ----------------------------------------------

SESSIONS_PER_PAGE = 10
# Upcoming sessions are listed in full up to this many (a learner rarely has more).
UPCOMING_LIMIT = 50


@dataclass(frozen=True)
class SessionRow:
    """One booking as a dashboard shows it, with what the viewer may do with it."""

    booking: Booking
    expert_page: ExpertPage | None
    joinable: bool
    cancellable: bool


def _live_expert_pages() -> Prefetch:
    pages = ExpertPage.objects.live().select_related("locale").order_by("pk")
    return Prefetch("expert__expert_profile__pages", queryset=pages, to_attr="live_pages")


def _page_in_language(pages: list[ExpertPage], language: str) -> ExpertPage | None:
    """The expert's page in the viewer's language if it has one, else its first (source) page."""
    for page in pages:
        if page.locale.language_code.split("-")[0] == language.split("-")[0]:
            return page
    return pages[0] if pages else None


def _session_rows(bookings, *, viewer, now: datetime) -> list[SessionRow]:
    from django.utils.translation import get_language

    from .services.bookings import booking_is_cancellable

    language = get_language() or "en"
    rows = []
    for booking in bookings:
        profile = getattr(booking.expert, "expert_profile", None)
        pages = getattr(profile, "live_pages", []) if profile is not None else []
        rows.append(
            SessionRow(
                booking=booking,
                expert_page=_page_in_language(pages, language),
                joinable=booking.is_joinable(now),
                cancellable=booking_is_cancellable(booking=booking, by=viewer, now=now),
            )
        )
    return rows


def learner_sessions(*, learner, now: datetime, page: Any = 1) -> dict[str, Any]:
    """The learner's "My sessions": upcoming confirmed ones (soonest first) and a page of
    past and cancelled ones (most recent first). Five queries however many bookings there are."""
    base = (
        Booking.objects.filter(learner=learner)
        .select_related("expert__expert_profile")
        .prefetch_related(_live_expert_pages())
    )
    upcoming = base.filter(status=Booking.Status.CONFIRMED, end__gt=now).order_by("start")[:UPCOMING_LIMIT]
    past = (
        base.exclude(status__in=[Booking.Status.HELD, Booking.Status.EXPIRED])
        .exclude(status=Booking.Status.CONFIRMED, end__gt=now)
        .order_by("-start", "-pk")
    )
    past_page = Paginator(past, SESSIONS_PER_PAGE).get_page(page)
    return {
        "upcoming": _session_rows(upcoming, viewer=learner, now=now),
        "past": _session_rows(past_page.object_list, viewer=learner, now=now),
        "past_page": past_page,
    }


def expert_upcoming_sessions(*, expert, now: datetime, page: Any = 1) -> PaginatorPage:
    """A page of the expert's confirmed sessions that have not ended, soonest first (two queries)."""
    bookings = (
        Booking.objects.filter(expert=expert, status=Booking.Status.CONFIRMED, end__gt=now)
        .select_related("learner")
        .order_by("start", "pk")
    )
    return Paginator(bookings, SESSIONS_PER_PAGE).get_page(page)
