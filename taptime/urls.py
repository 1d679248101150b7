from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from billing.views import stripe_webhook
from cms_pages.sitemaps import AllLocalesSitemap
from cms_pages.views import robots_txt

from . import metrics, views

# Django's own admin is for superusers only; staff work in the Wagtail admin.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "TapTime — Django admin"

# Both admins sign in through allauth, so every login gets the same rate
# limits, email verification and second-factor checks.
_login_redirect = RedirectView.as_view(pattern_name="account_login", query_string=True)

# Passwords change only through allauth (WAGTAIL_PASSWORD_*_ENABLED are off too),
# so its limits, re-authentication and security emails always apply.
_reset_redirect = RedirectView.as_view(pattern_name="account_reset_password")
_password_change_redirect = RedirectView.as_view(pattern_name="account_change_password")

urlpatterns = [
    path("admin/login/", _login_redirect),
    path("django-admin/login/", _login_redirect),
    path("admin/password_reset/", _reset_redirect),
    path("django-admin/password_change/", _password_change_redirect),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # allauth's headless API for apps (sign-up, sign-in with second factor, session tokens).
    path("_allauth/", include("allauth.headless.urls")),
    path("api/", include("api.urls")),
    path("expert/webhooks/", include("api.site_urls")),
    path("healthz/", views.healthz, name="healthz"),
    # Prometheus: bearer METRICS_TOKEN, or loopback straight to the web process only (taptime.metrics).
    path("metrics", metrics.metrics, name="metrics"),
    # Stripe webhooks: /stripe/webhook/<endpoint uuid>/ (signature checked per endpoint). Our view
    # answers first (billing.views.stripe_webhook: a rate limit per client address, and the trusted
    # sender address recorded); dj-stripe's own URL stays for reversing the endpoint's address.
    path("stripe/webhook/<uuid:uuid>/", stripe_webhook),
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLocalesSitemap}}, name="sitemap"),
    path("", include("billing.urls")),
    path("", include("bookings.urls")),
    path("", include("reviews.urls")),
    path("", include("learning.urls")),
    path("", include("marketplace.urls")),
    path("", include("notifications.urls")),
]

urlpatterns += i18n_patterns(
    # Wagtail's own front-end login is Django's LoginView: no rate limit, no second
    # factor. Private pages already send visitors to allauth (WAGTAIL_FRONTEND_LOGIN_URL).
    path("_util/login/", _login_redirect),
    path("", include("search.urls")),
    path("", include("blog.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG or settings.SERVE_MEDIA:
    # Production serves media from S3/a CDN; `make serve` (audits) and dev serve it here.
    from django.urls import re_path
    from django.views.static import serve as serve_file

    _media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns = [
        re_path(rf"^{_media_prefix}(?P<path>.*)$", serve_file, {"document_root": settings.MEDIA_ROOT}),
        *urlpatterns,
    ]

if "demo" in settings.INSTALLED_APPS:
    # The demo's two ICS calendars on loopback, imported by the demo expert (demo.calendars).
    from demo.calendars import calendar_file

    urlpatterns = [path("demo/calendars/<str:name>.ics", calendar_file, name="demo_calendar_file"), *urlpatterns]

handler403 = "taptime.views.permission_denied"
handler404 = "taptime.views.page_not_found"
handler500 = "taptime.views.server_error"
