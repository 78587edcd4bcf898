import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The role library as `make run` loads it."""
    call_command("loaddata", "fixtures/roles.json", verbosity=0)
