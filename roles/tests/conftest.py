import pytest

from roles.seeding import seed_library


@pytest.fixture
def seeded(db):
    """The seed role library, seeded as `make run` seeds it: drafts, published as the seed says."""
    seed_library()
