"""Local development: `make run`. Embedded defaults, debug on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The demo accounts are verified by seed_demo; new sign-ups still confirm by email,
# which the console backend prints to the terminal running `make run`.

# The demo staff account has no authenticator app; production keeps the rule on.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)
