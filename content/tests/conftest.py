import pytest

from content.tests.factories import content_editors_group


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(content_editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
