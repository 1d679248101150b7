from pathlib import Path

import pytest

from tests.factories import UserFactory
from tests.marketplace.factories import make_expert


@pytest.fixture
def ada(expert_index):
    return make_expert(expert_index, name="Ada Lovelace", prices={60: "80"}, currency="EUR")


@pytest.fixture
def lena(db):
    return UserFactory(full_name="Lena Learner", time_zone="America/New_York")


@pytest.fixture
def private_media(settings):
    """The test settings' private storage folder (outside MEDIA_ROOT, no URL)."""
    return Path(settings.PRIVATE_MEDIA_ROOT)


def resource_files(root: Path) -> set[Path]:
    folder = root / "sessions" / "resources"
    return set(folder.iterdir()) if folder.exists() else set()
