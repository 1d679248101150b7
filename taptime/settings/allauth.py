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
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "TapTime"

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
