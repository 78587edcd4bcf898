import importlib.util
import os
from pathlib import Path

import pytest

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "settings.py"
# Variables that would leak the developer's or CI's own configuration into a test.
CONFIG_PREFIXES = (
    "DJANGO_",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_",
    "DEFAULT_FROM_EMAIL",
    "PORTAL_BASE_URL",
)

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "p" * 20 + "-production-like-secret-key-for-tests-only-0123456789",
    "DJANGO_ALLOWED_HOSTS": "portal.example.com",
    "DATABASE_URL": "postgres://portal:secret@db.example.com:5432/portal",
    "REDIS_URL": "redis://cache.example.com:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "DEFAULT_FROM_EMAIL": "ML Talent Partners <hello@portal.example.com>",
    "PORTAL_BASE_URL": "https://portal.example.com",
    "PORTAL_PHONE": "+1 (206) 555-0100",
    "PORTAL_ADDRESS": "100 Example Street|Seattle, WA 98101",
    "PORTAL_PRIVACY_EMAIL": "privacy@portal.example.com",
}


@pytest.fixture
def load_settings(monkeypatch):
    """Execute portal/settings.py afresh with exactly the given environment."""

    def load(**env: str):
        for name in list(os.environ):
            if name.startswith(CONFIG_PREFIXES):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture
def production_env() -> dict[str, str]:
    return dict(PRODUCTION_ENV)
