"""The runbook's backup and restore (docs/operations.md): pg_dump, a fresh database, pg_restore,
the media archive, and the demo still works on the restored copy."""

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connections

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

# Run in the restored database by a separate process, as an operator's smoke check would.
SMOKE = """
from django.test import Client
from marketplace.models import ExpertPage
from blog.models import BlogPage
client = Client(SERVER_NAME="localhost")
expert = ExpertPage.objects.live().first()
post = BlogPage.objects.live().first()
for url in ("/", "/experts/", expert.url, "/blog/", post.url, "/healthz/"):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
assert expert.title.encode() in client.get(expert.url).content
print("restored-ok", ExpertPage.objects.count())
"""


def _url(name: str) -> str:
    settings = connections["default"].settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def _run(*command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_a_dump_restored_into_a_fresh_database_still_serves_the_demo(tmp_path, django_db_setup):
    # The source: a copy of the migrated test database (no test's data: each rolls back), seeded
    # with the demo by manage.py as an operator would, so no test transaction is involved.
    connections.close_all()
    settings_dict = connections["default"].settings_dict
    user = settings_dict["USER"]
    suffix = uuid.uuid4().hex[:8]
    source, fresh = f"taptime_backup_{suffix}", f"taptime_restore_{suffix}"
    _run("createdb", "--host", "127.0.0.1", "--username", user, "--template", settings_dict["NAME"], source)
    media = tmp_path / "media"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taptime.settings.test"}
    try:
        _run(sys.executable, "manage.py", "seed_demo", cwd=ROOT, env={**env, "DATABASE_URL": _url(source)})
        media.mkdir()
        (media / "restore-probe.txt").write_text("media survives")

        # Back up: the database (custom format) and the media folder, as the runbook says.
        dump = tmp_path / "taptime.dump"
        _run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), _url(source))
        with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
            archive.add(media, arcname="media")

        # Restore into a database that did not exist, and the media into an empty folder.
        _run("createdb", "--host", "127.0.0.1", "--username", user, fresh)
        _run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", _url(fresh), str(dump))
        restored = tmp_path / "restored"
        with tarfile.open(tmp_path / "media.tar.gz") as archive:
            archive.extractall(restored, filter="data")
        assert (restored / "media" / "restore-probe.txt").read_text() == "media survives"

        counts = "from marketplace.models import ExpertPage; print('experts', ExpertPage.objects.count())"
        seeded = _run(
            sys.executable, "manage.py", "shell", "-c", counts, cwd=ROOT, env={**env, "DATABASE_URL": _url(source)}
        )
        result = _run(
            sys.executable, "manage.py", "shell", "-c", SMOKE, cwd=ROOT, env={**env, "DATABASE_URL": _url(fresh)}
        )
        experts = int(seeded.stdout.split()[-1])
        assert experts > 0
        assert f"restored-ok {experts}" in result.stdout
    finally:
        for name in (source, fresh):
            drop = ["dropdb", "--host", "127.0.0.1", "--username", user, "--if-exists", "--force", name]
            subprocess.run(drop, capture_output=True, timeout=120)
