"""The one reader of the environment every settings module shares.

A developer may keep local overrides in ``.env`` at the project root; it is
git-ignored and optional, and real environment variables win over it.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def postgres_lock_timeout(seconds: float) -> dict[str, str]:
    """libpq connection ``options`` giving every PostgreSQL connection a ``lock_timeout`` (see core.locking)."""
    return {"options": f"-c lock_timeout={int(seconds * 1000)}"}
