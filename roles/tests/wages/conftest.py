import io

import pytest
from django.core.management import call_command

from roles.tests.wages.files import FIXTURES


@pytest.fixture
def wages(seeded):
    """The seed library and the shipped BLS files, as `make run` loads them."""
    call_command("import_oews", *sorted(FIXTURES.glob("*.csv")), stdout=io.StringIO())
