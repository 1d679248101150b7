"""Production settings: secrets from the environment, and a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "taptime.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "taptime.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "MFA_ENCRYPTION_KEYS": "q6Zb2n7y0lJc0uQk2iJ6m0K8hJx3b1YV8Y4r2b9pZ3c=",
}


def run_manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG", "MFA_ENCRYPTION_KEYS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_for_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("keys", [None, "not-a-fernet-key"])
def test_production_refuses_to_start_without_a_usable_second_factor_key(keys):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "MFA_ENCRYPTION_KEYS"}
    if keys:
        env["MFA_ENCRYPTION_KEYS"] = keys
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEYS" in result.stderr


def test_production_refuses_stripe_live_mode_without_a_publishable_key():
    live = {**PRODUCTION_ENV, "STRIPE_LIVE_MODE": "true", "STRIPE_LIVE_SECRET_KEY": "sk_live_" + "x" * 24}
    result = run_manage("check", env=live)
    assert result.returncode != 0
    assert "STRIPE_PUBLISHABLE_KEY" in result.stderr
    result = run_manage("check", env={**live, "STRIPE_PUBLISHABLE_KEY": "pk_live_" + "x" * 24})
    assert result.returncode == 0, result.stdout + result.stderr
