"""Content Security Policy: strict on the public site, looser in the admins (core.csp.AreaCSPMiddleware)."""

from .env import env

# The public site runs without inline scripts or styles. Wagtail's admin still
# ships inline scripts, so the admins get a looser policy of their own
# (core.csp.AreaCSPMiddleware; see docs/decisions.md).
ADMIN_URL_PREFIXES = ("/admin/", "/django-admin/")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Analytics origins are opted in by environment and loaded only after consent.
        # Stripe.js is allowed only on the page that pays (settings.STRIPE_JS_CSP).
        "script-src": ["'self'", *env.list("ANALYTICS_SCRIPT_ORIGINS", default=[])],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # Page previews are framed by the admin itself.
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
