import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The seed role library (the same content `make run` seeds; see test_seeding.py)."""
    call_command("loaddata", "fixtures/roles.json", verbosity=0)
