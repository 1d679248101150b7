"""Reads for the public site's shared chrome (menus, language links), fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Concat, Length, Substr
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.page_cache import page_cache_purge_all

from .models import NavigationSettings, SiteSettings

# Shown until an editor fills Settings → Navigation, so a fresh site has menus.
DEFAULT_MAIN_MENU = [
    (_("Browse experts"), "/experts/"),
    (_("How it works"), "/how-it-works/"),
    (_("Blog"), "/blog/"),
    (_("Join as expert"), "/join/"),
]
DEFAULT_FOOTER_MENU = [
    (_("About"), "/about/"),
    (_("FAQ"), "/faq/"),
    (_("Contact"), "/contact/"),
    (_("Feedback"), "/feedback/"),
    (_("Privacy"), "/privacy/"),
    (_("Terms"), "/terms/"),
]


def _setting_cache_key(model: type, site_id: int) -> str:
    return f"cms:setting:{model._meta.label_lower}:{site_id}"


def cached_site_setting(model: type[SiteSettings] | type[NavigationSettings], request: HttpRequest):
    """A site setting for this request, from the shared cache after the first read.

    Settings change rarely and every page reads them for its header and footer,
    so they are kept in the cache (Redis in production, shared by all web
    processes) until saved again; a save or delete drops the cached copy.
    """
    attr = f"_taptime_{model._meta.model_name}"
    if hasattr(request, attr):
        return getattr(request, attr)
    site = Site.find_for_request(request)
    if site is None:
        return None
    key = _setting_cache_key(model, site.pk)
    instance = cache.get(key)
    if instance is None:
        instance = model.for_site(site)
        cache.set(key, instance, timeout=60 * 60)
    setattr(request, attr, instance)
    return instance


@receiver([post_save, post_delete], sender=SiteSettings, dispatch_uid="cms_site_settings_cache")
@receiver([post_save, post_delete], sender=NavigationSettings, dispatch_uid="cms_navigation_settings_cache")
def _forget_cached_setting(sender, instance, **kwargs) -> None:
    cache.delete(_setting_cache_key(sender, instance.site_id))
    if not kwargs.get("created"):
        # The header and footer of every cached page show them (a row created on first read holds
        # the defaults the pages already show).
        page_cache_purge_all()


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    is_current: bool = False


def localized_url(*, request: HttpRequest, path: str) -> str:
    """``path`` (an English site path such as ``/join/``) in the visitor's language.

    The live translation of the page at that path when there is one (its slug
    may differ: /about/ → /es/sobre/), else the path itself, so the link never
    leads to a missing page. One query per distinct path, remembered on the
    request; nothing at all for English visitors or non-page paths.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or not path.startswith("/") or path.startswith(f"/{language}/"):
        return path
    remembered = request.__dict__.setdefault("_taptime_localized_urls", {})
    if path in remembered:
        return remembered[path]
    url = path
    site = Site.find_for_request(request)
    if site is not None:
        root_url_path = Page.objects.filter(pk=site.root_page_id).values("url_path")[:1]
        source = Page.objects.filter(
            url_path=Concat(Subquery(root_url_path), Value(path.lstrip("/"))),
            locale__language_code=settings.LANGUAGE_CODE,
        )
        translated = (
            Page.objects.live()
            .filter(locale__language_code=language, translation_key__in=source.values("translation_key"))
            .only("id", "url_path", "locale_id", "depth", "path")
            .first()
        )
        if translated is not None:
            url = translated.get_url(request) or path
    remembered[path] = url
    return url


def _menu_label(label: str) -> str:
    """A menu label in the visitor's language when it is one of the interface's own phrases.

    Navigation settings are one per site, not per language: a label an editor
    typed ("Browse experts", "Blog") or the title of a page that has no
    translation is shown through the interface's catalogue, so the demo's and
    the default menus read in Spanish and German; any other text stays as typed.
    """
    return gettext(label) if label else label


def menu_links(*, request: HttpRequest, menu: str) -> list[MenuLink]:
    """The links of ``main_menu`` or ``footer_menu``, in the visitor's language.

    A page link goes to the page's live translation, else to the page itself; a
    URL link to the translation of the page at that path, else to the path in
    the default language (``localized_url``): never to a prefixed path that does
    not exist. Resolved links are shared through the cache (no query at all once
    warm) until the navigation or any page is published, unpublished, moved or
    deleted; a cold read costs the chooser pages, their translations and one
    query per URL link.
    """
    cache_attr = f"_taptime_menu_{menu}"
    if hasattr(request, cache_attr):
        return getattr(request, cache_attr)
    site = Site.find_for_request(request)
    language = translation.get_language() or settings.LANGUAGE_CODE
    shared_key = f"cms:menu:{_menu_version()}:{site.pk if site else 0}:{language}:{menu}"
    resolved = cache.get(shared_key)
    if resolved is not None:
        # (label, url) pairs shared by every request; "current" is this request's.
        links = [MenuLink(label, url, request.path == url) for label, url in resolved]
        setattr(request, cache_attr, links)
        return links
    stream = getattr(cached_site_setting(NavigationSettings, request), menu) if site else []
    links: list[MenuLink] = []
    if not stream:
        for label, path in DEFAULT_MAIN_MENU if menu == "main_menu" else DEFAULT_FOOTER_MENU:
            url = localized_url(request=request, path=path)
            links.append(MenuLink(gettext(label), url, request.path == url))
    else:
        values = [block.value for block in stream]
        keys = [value["page"].translation_key for value in values if value.get("page")]
        locale = Locale.get_active()
        localized = (
            {
                page.translation_key: page
                for page in Page.objects.live().filter(translation_key__in=keys, locale=locale).specific(defer=True)
            }
            if keys
            else {}
        )
        for value in values:
            page = value.get("page")
            if page is not None:
                translated = localized.get(page.translation_key)
                page = translated or page
                if not page.live:
                    continue
                url = page.get_url(request) or ""
                # A translated page's own title is already in the visitor's language.
                label = _menu_label(value.get("label")) or (page.title if translated else _menu_label(page.title))
            else:
                url, label = localized_url(request=request, path=value["url"]), _menu_label(value["label"])
            links.append(MenuLink(label, url, request.path == url))
    cache.set(shared_key, [(str(link.label), link.url) for link in links], timeout=60 * 60)
    setattr(request, cache_attr, links)
    return links


MENU_VERSION_KEY = "cms:menu:version"


def _menu_version() -> int:
    return cache.get_or_set(MENU_VERSION_KEY, 1, timeout=None)


def forget_menus() -> None:
    """Every cached menu goes stale at once: the navigation or a page's URL, title or
    live state changed, and menus show all three."""
    try:
        cache.incr(MENU_VERSION_KEY)
    except ValueError:
        cache.set(MENU_VERSION_KEY, 2, timeout=None)


@receiver([post_save, post_delete], sender=NavigationSettings, dispatch_uid="cms_menus_on_navigation_change")
def _forget_menus_on_navigation_change(sender, **kwargs) -> None:
    forget_menus()


@receiver(page_published, dispatch_uid="cms_menus_on_publish")
@receiver(page_unpublished, dispatch_uid="cms_menus_on_unpublish")
@receiver(post_page_move, dispatch_uid="cms_menus_on_move")
@receiver(post_delete, sender=Page, dispatch_uid="cms_menus_on_delete")
def _forget_menus_on_page_change(sender, **kwargs) -> None:
    forget_menus()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def absolute_page_url(request: HttpRequest, page: Page) -> str | None:
    """The page's URL on the host the visitor used, so canonical, hreflang and JSON-LD agree."""
    relative = page.get_url(request)
    if not relative:
        return None
    return relative if relative.startswith(("http://", "https://")) else request.build_absolute_uri(relative)


def page_alternates(*, request: HttpRequest, page: Page) -> list[tuple[str, str]]:
    """(language code, absolute URL) of every live, public translation of ``page``.

    One query, remembered on the request: the hreflang links and the language
    switcher both use it.
    """
    cache_attr = "_taptime_alternates"
    cached = getattr(request, cache_attr, None)
    if cached is not None and cached[0] == page.pk:
        return cached[1]
    alternates = []
    # Same rule as Wagtail's .public() (no restriction on the page or an ancestor,
    # by path prefix), folded into this query instead of a query of its own.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path")),
    )
    translations = page.get_translations(inclusive=True).live().exclude(Exists(restricted)).select_related("locale")
    for translated in translations:
        url = absolute_page_url(request, translated)
        if url:
            alternates.append((translated.locale.language_code, url))
    alternates.sort()
    setattr(request, cache_attr, (page.pk, alternates))
    return alternates


def language_links(*, request: HttpRequest, page: Page | None) -> list[LanguageLink]:
    """One link per language: the page's live translation, else that language's home."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    translations: dict[str, str] = {}
    if page is not None and getattr(page, "pk", None):
        translations = dict(page_alternates(request=request, page=page))
    links = []
    for code, name in settings.LANGUAGES:
        home = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append(LanguageLink(code, name, translations.get(code, home), code == current))
    return links
