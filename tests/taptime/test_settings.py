"""Production settings: secrets from the environment, and a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# A complete production environment: real email, Redis, https base URL, Stripe live mode.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "taptime.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "taptime.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "MFA_ENCRYPTION_KEYS": "q6Zb2n7y0lJc0uQk2iJ6m0K8hJx3b1YV8Y4r2b9pZ3c=",
    "BASE_URL": "https://taptime.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "STRIPE_LIVE_MODE": "true",
    "STRIPE_LIVE_SECRET_KEY": "sk_live_" + "x" * 24,
    "STRIPE_PUBLISHABLE_KEY": "pk_live_" + "x" * 24,
}
# Everything the environment of the test run could set that these settings read.
SETTINGS_VARIABLES = {
    *PRODUCTION_ENV,
    "SECRET_KEY_FALLBACKS",
    "DEBUG",
    "EMAIL_BACKEND",
    "PAYMENT_GATEWAY",
    "STRIPE_LIVE_PUBLIC_KEY",
    "ALLOW_CONSOLE_EMAIL",
    "ALLOW_LOCAL_CACHE",
    "ALLOW_TEST_PAYMENTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SMS_BACKEND",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
    "TWILIO_MESSAGING_SERVICE_SID",
    "LOG_FORMAT",
    "METRICS_TOKEN",
    "DATABASE_REPLICA_URL",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def without(*names):
    return {k: v for k, v in PRODUCTION_ENV.items() if k not in names}


def test_the_deploy_check_is_clean_for_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env=without("SECRET_KEY"))
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
    result = run_manage("check", env=without("STRIPE_PUBLISHABLE_KEY"))
    assert result.returncode != 0
    assert "STRIPE_PUBLISHABLE_KEY" in result.stderr
    result = run_manage("check", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (without("BASE_URL"), "BASE_URL must be set"),
        ({**PRODUCTION_ENV, "BASE_URL": "http://taptime.example"}, "BASE_URL must start with https://"),
        ({**PRODUCTION_ENV, "BASE_URL": "https://elsewhere.example"}, "must be one of ALLOWED_HOSTS"),
        (without("EMAIL_URL"), "Email would not be delivered (django.core.mail.backends.console.EmailBackend)"),
        (
            {**PRODUCTION_ENV, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
            "Email would not be delivered",
        ),
        (without("REDIS_URL"), "REDIS_URL must be set"),
        (
            {**PRODUCTION_ENV, "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32},
            "SMS_BACKEND=twilio needs",
        ),
        ({**PRODUCTION_ENV, "SMS_BACKEND": "carrier-pigeon"}, "SMS_BACKEND must be console or twilio"),
        (without("STRIPE_LIVE_MODE"), "the review page would offer the test-card form"),
        ({**PRODUCTION_ENV, "API_THROTTLE_ANON": "lots"}, 'API_THROTTLE_ANON must look like "120/min"'),
        ({**PRODUCTION_ENV, "API_THROTTLE_USER": "0/min"}, 'API_THROTTLE_USER must look like "120/min"'),
        (
            {**PRODUCTION_ENV, "PAYMENT_GATEWAY": "billing.gateways.testmode.TestModeGateway"},
            "the review page would offer the test-card form",
        ),
    ],
    ids=[
        "no base url",
        "http base url",
        "foreign base url",
        "console email",
        "locmem email",
        "no redis",
        "twilio without its token and sender",
        "unknown sms backend",
        "test mode",
        "anonymous api rate not a rate",
        "user api rate of zero",
        "test gateway",
    ],
)
def test_production_refuses_to_start_misconfigured(change, message):
    result = run_manage("check", env=change)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr, result.stderr


def serve_script_environment() -> dict[str, str]:
    """The variables scripts/serve.sh exports (make serve), evaluated as the script does."""
    exports = "\n".join(
        line for line in (ROOT / "scripts/serve.sh").read_text().splitlines() if line.startswith("export ")
    )
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    shown = subprocess.run(
        ["/bin/bash", "-c", f"{exports}\nenv -0"], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
    ).stdout
    return dict(item.split("=", 1) for item in shown.split("\0") if "=" in item)


def test_make_serve_runs_production_settings_on_loopback_with_its_explicit_flags():
    serve = serve_script_environment()
    assert {serve[flag] for flag in ("ALLOW_CONSOLE_EMAIL", "ALLOW_LOCAL_CACHE", "ALLOW_TEST_PAYMENTS")} == {"True"}
    result = run_manage("check", env={**serve, "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_loopback_flags_are_refused_on_a_real_host_name():
    serve = serve_script_environment()
    result = run_manage(
        "check", env={**serve, "ALLOWED_HOSTS": "taptime.example,127.0.0.1", "BASE_URL": "https://taptime.example"}
    )
    assert result.returncode != 0
    assert "is only for a loopback run" in result.stderr


def test_production_serves_documents_through_the_permission_checked_view_and_can_rotate_its_key():
    shown = "from django.conf import settings; print(settings.WAGTAILDOCS_SERVE_METHOD, settings.SECRET_KEY_FALLBACKS)"
    result = run_manage("shell", "-c", shown, env={**PRODUCTION_ENV, "SECRET_KEY_FALLBACKS": "old-key-1,old-key-2"})
    assert result.stdout.strip().splitlines()[-1] == "serve_view ['old-key-1', 'old-key-2']", (
        result.stdout + result.stderr
    )
