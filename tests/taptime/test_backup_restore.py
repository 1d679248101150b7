"""The runbook's backup and restore (docs/operations.md): pg_dump, a fresh database, pg_restore,
the media archive, and the demo still works on the restored copy."""

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Locale, Page

from marketplace.models import ExpertPage

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
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def _run(*command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_still_serves_the_demo(tmp_path, settings):
    # A transactional test starts empty: the tree root and locale the migrations made come back first.
    Locale.objects.get_or_create(language_code="en")
    Page.add_root(instance=Page(title="Root", slug="root"))
    call_command("seed_demo")
    experts = ExpertPage.objects.count()
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "restore-probe.txt").write_text("media survives")

    # Back up: the database (custom format) and the media folder, as the runbook says.
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "taptime.dump"
    _run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), _url(source))
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(media, arcname="media")

    # Restore into a database that did not exist, and the media into an empty folder.
    fresh = f"taptime_restore_{uuid.uuid4().hex[:8]}"
    _run("createdb", "--host", "127.0.0.1", "--username", connection.settings_dict["USER"], fresh)
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", _url(fresh), str(dump))
        restored_media = tmp_path / "restored"
        with tarfile.open(tmp_path / "media.tar.gz") as archive:
            archive.extractall(restored_media, filter="data")
        assert (restored_media / "media" / "restore-probe.txt").read_text() == "media survives"
        env = {**os.environ, "DATABASE_URL": _url(fresh), "DJANGO_SETTINGS_MODULE": "taptime.settings.test"}
        env["MEDIA_ROOT"] = str(restored_media / "media")
        result = _run(sys.executable, "manage.py", "shell", "-c", SMOKE, cwd=ROOT, env=env)
        assert f"restored-ok {experts}" in result.stdout
    finally:
        _run("dropdb", "--host", "127.0.0.1", "--username", connection.settings_dict["USER"], "--force", fresh)
