"""The production artefacts and the stack script: what can be checked without a Docker daemon."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_compose_file_mirrors_the_stack_and_asks_for_its_secrets():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"migrate", "web1", "web2", "worker1", "worker2", "nginx", "postgres", "redis"}
    for name in ("web1", "web2", "worker1", "worker2", "migrate"):
        service = services[name]
        assert service["build"] == "." and service["image"] == "taptime:latest"
        environment = service["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "taptime.settings.production"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        for secret in ("SECRET_KEY", "MFA_ENCRYPTION_KEYS", "METRICS_TOKEN"):
            assert environment[secret] == f"${{{secret}:?set {secret}}}"  # no default: refused when unset
    assert [services[n]["command"] for n in ("web1", "web2", "worker1", "worker2")] == [
        ["web"],
        ["web"],
        ["worker"],
        ["worker"],
    ]
    assert services["web1"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["nginx"]["ports"] == ["127.0.0.1:8080:80"]


def test_the_image_runs_gunicorn_as_an_unprivileged_user_from_a_separate_build_stage():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2 and stages[1].endswith(" AS run")
    run_stage = dockerfile.split(stages[1], 1)[1]
    assert "USER taptime" in run_stage and "COPY --from=build" in run_stage
    assert "/healthz/" in run_stage
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    assert "exec gunicorn taptime.wsgi" in entrypoint and "qcluster" in entrypoint
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".git", ".venv", ".env", ".stack", "media", "db.sqlite3*"} <= set(ignored)


def test_both_nginx_configurations_refuse_metrics_and_pass_the_request_id():
    for name in ("nginx-stack.conf.template", "nginx-compose.conf"):
        conf = (ROOT / "deploy" / name).read_text()
        assert "location = /metrics { return 404; }" in conf
        assert "proxy_set_header X-Request-ID" in conf
        assert "proxy_next_upstream error timeout http_502;" in conf  # never non_idempotent


@pytest.mark.slow
def test_the_rendered_stack_configuration_is_valid_nginx(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    template = (ROOT / "deploy" / "nginx-stack.conf.template").read_text()
    rendered = template.replace("@STATE@", str(tmp_path)).replace("@PORT@", "18080")
    rendered = rendered.replace(
        "@UPSTREAMS@", "        server 127.0.0.1:18081 max_fails=1 fail_timeout=5s;\n        server 127.0.0.1:18082;"
    )
    (tmp_path / "nginx.conf").write_text(rendered)
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_stack_script_parses_and_refuses_unknown_commands():
    script = str(ROOT / "scripts" / "stack.sh")
    assert subprocess.run(["/bin/bash", "-n", script], capture_output=True).returncode == 0
    result = subprocess.run(["/bin/bash", script, "restart-everything"], capture_output=True, text=True)
    assert result.returncode == 2 and "usage: scripts/stack.sh [start|stop|status]" in result.stderr


# Importing locust patches the whole process (gevent), so the check runs in a subprocess of its own.
LOOPBACK_CHECK = """
import benchmarks.locustfile as locustfile
class Environment:
    host = ""
for host in ("http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.5.0.1"):
    Environment.host = host
    locustfile._loopback_only(Environment)
refused = 0
for host in ("http://10.0.0.5:8080", "https://taptime.example", "http://192.168.1.2", ""):
    Environment.host = host
    try:
        locustfile._loopback_only(Environment)
    except SystemExit as stop:
        refused += "not a loopback address" in str(stop)
print("refused", refused)
"""


@pytest.mark.slow
def test_the_locustfile_refuses_hosts_outside_loopback(tmp_path):
    accounts = tmp_path / "accounts.json"
    accounts.write_text('{"experts": [{"id": 1, "url": "/experts/a/"}], "learners": 1, "password": "x"}')
    result = subprocess.run(
        [sys.executable, "-c", LOOPBACK_CHECK],
        cwd=ROOT,
        env={**os.environ, "LOAD_ACCOUNTS": str(accounts)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["refused", "4"]
