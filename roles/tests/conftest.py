import pytest
from django.contrib.auth.models import Group

from roles.seeding import seed_library


@pytest.fixture
def seeded(db):
    """The seed role library, seeded as `make run` seeds it: drafts, published as the seed says."""
    seed_library()


@pytest.fixture
def editor(django_user_model):
    """A member of the Editors group, as the role library's staff are."""
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
