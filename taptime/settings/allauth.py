"""django-allauth: email is the login, no usernames, verified addresses, MFA."""

from .env import env

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "TapTime: "
# Changing the login address, a password or a second factor asks for the password
# (or a second-factor code) again if the last sign-in is older than allauth's
# five minutes, and every such change is emailed (an address change to the old
# address too: accounts.adapters).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# One address per account; a new one replaces it only once verified.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Throttles live in the cache (Redis in production, shared by every web process).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    # Per address: a reset email at most three times an hour, however many visitors ask.
    "reset_password": "20/m/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    # Asking for the password again (before address, password or second-factor
    # changes) is itself a guessable form: ten tries per five minutes per user.
    "reauthenticate": "10/5m/user",
}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# Passkeys (WebAuthn, through the fido2 package): a second factor, and a sign-in
# without a password from the login page. Chromium, Safari and Firefox accept
# http only on localhost; production runs on https.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
MFA_TOTP_ISSUER = "TapTime"

# --- Google and LinkedIn sign-in (allauth.socialaccount) ---------------------
# Keys come from the environment, never from SocialApp rows: a provider without
# its two keys is not configured at all, so its button is not shown and its URLs
# answer 404. LinkedIn is "Sign In with LinkedIn using OpenID Connect".
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET", default="")
LINKEDIN_CLIENT_ID = env("LINKEDIN_CLIENT_ID", default="")
LINKEDIN_CLIENT_SECRET = env("LINKEDIN_CLIENT_SECRET", default="")


def social_providers(*, google_id: str, google_secret: str, linkedin_id: str, linkedin_secret: str) -> dict[str, dict]:
    """allauth's SOCIALACCOUNT_PROVIDERS for the keys given (tests build it with their own)."""
    google_apps = [{"client_id": google_id, "secret": google_secret}] if google_id and google_secret else []
    linkedin_apps = (
        [
            {
                "provider_id": "linkedin",
                "name": "LinkedIn",
                "client_id": linkedin_id,
                "secret": linkedin_secret,
                "settings": {
                    "server_url": "https://www.linkedin.com/oauth",
                    # LinkedIn takes the secret in the body only.
                    "token_auth_method": "client_secret_post",
                    "scope": ["openid", "profile", "email"],
                },
            }
        ]
        if linkedin_id and linkedin_secret
        else []
    )
    return {
        "google": {
            "APPS": google_apps,
            "SCOPE": ["openid", "profile", "email"],
            "AUTH_PARAMS": {"access_type": "online", "prompt": "select_account"},
            "OAUTH_PKCE_ENABLED": True,
        },
        "openid_connect": {"APPS": linkedin_apps, "OAUTH_PKCE_ENABLED": False},
    }


SOCIALACCOUNT_PROVIDERS = social_providers(
    google_id=GOOGLE_CLIENT_ID,
    google_secret=GOOGLE_CLIENT_SECRET,
    linkedin_id=LINKEDIN_CLIENT_ID,
    linkedin_secret=LINKEDIN_CLIENT_SECRET,
)
# Where each provider's consent screen lives: the account pages' form-action allows
# these origins for configured providers only (accounts.middleware.SocialSignInCSPMiddleware).
SOCIAL_SIGN_IN_ORIGINS = {"google": "https://accounts.google.com", "linkedin": "https://www.linkedin.com"}
# Starting a provider sign-in is a POST (CSRF-protected), never a GET a page could trigger.
SOCIALACCOUNT_LOGIN_ON_GET = False
# A provider's address is trusted only when the provider says it is verified
# (accounts.adapters.SocialAccountAdapter); otherwise it is confirmed by email
# like any other sign-up. A provider address that matches an existing account
# never signs into it: the owner signs in and links the provider from settings.
SOCIALACCOUNT_EMAIL_VERIFICATION = ACCOUNT_EMAIL_VERIFICATION
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_QUERY_EMAIL = True
# We sign people in; we never call the providers' APIs afterwards, so no token is kept.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_FORMS = {"signup": "accounts.forms.SocialSignupForm"}

# --- Sessions and devices (allauth.usersessions; accounts.middleware) --------
# allauth records each session at sign-in; its own activity tracking (a read and
# a write of the row on every request) is off: SessionTimeoutMiddleware renews
# "last seen" at most once a minute with one UPDATE instead.
USERSESSIONS_TRACK_ACTIVITY = False
# Everyone is signed out after SESSION_IDLE_SECONDS without a request or
# SESSION_MAX_AGE_SECONDS after sign-in; sessions that can open an admin use the
# shorter STAFF_ pair below (accounts.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=14 * 24 * 60 * 60)
SESSION_MAX_AGE_SECONDS = env.int("SESSION_MAX_AGE_SECONDS", default=30 * 24 * 60 * 60)
# The last-seen time in a session is rewritten at most this often (a write per request costs).
SESSION_SEEN_RESOLUTION_SECONDS = 60

# Staff second factor (accounts.middleware.StaffSecondFactorMiddleware): admins
# without one set it up only from a session that opened an emailed link.
STAFF_MFA_ENROLMENT_LINK_MAX_AGE_SECONDS = 30 * 60
STAFF_MFA_ENROLMENT_LINKS_PER_WINDOW = 3
STAFF_MFA_ENROLMENT_LINK_WINDOW_SECONDS = 60 * 60
# Sessions that can open an admin: signed out 8 hours after sign-in, or after
# 30 minutes without a request (accounts.middleware.StaffSessionLifetimeMiddleware).
STAFF_SESSION_MAX_AGE_SECONDS = env.int("STAFF_SESSION_MAX_AGE_SECONDS", default=8 * 60 * 60)
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)

# allauth's headless API, for mobile apps only: the "app" client signs in (second factor included) and
# gets a session token, sent to our API as X-Session-Token (api.authentication). The site itself keeps
# allauth's regular pages (HEADLESS_ONLY off), so links in emails still go to those pages.
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app",)
# The session backend drops a session idle this long on its own (the middleware refreshes it).
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
