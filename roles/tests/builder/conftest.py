from roles.tests.wages.conftest import wages  # noqa: F401 - the shipped BLS files, loaded
