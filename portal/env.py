"""Typed readers for the environment variables that configure a deployment.

Every difference between a laptop and production is read through these, so
that `.env.example` and the README can list them all and a typo fails loudly.
"""

import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


LOCAL_CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds before a Redis that does not answer is given up on.
REDIS_TIMEOUT = 0.25


def redis_caches(url: str) -> dict:
    """CACHES for a Redis server at `url`, with short timeouts."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }


# EMAIL_URL schemes and the transport security each one means.
EMAIL_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "smtps": (False, True, 465),
}


@dataclass(frozen=True)
class EmailServer:
    host: str
    port: int
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def parse_email_url(url: str) -> EmailServer:
    """Read `smtp+tls://user:password@host:587` (smtp, smtp+tls or smtps)."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_SCHEMES:
        known = ", ".join(sorted(EMAIL_SCHEMES))
        raise ImproperlyConfigured(f"EMAIL_URL scheme must be one of {known}.")
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL must name a host.")
    use_tls, use_ssl, default_port = EMAIL_SCHEMES[parts.scheme]
    return EmailServer(
        host=parts.hostname,
        port=parts.port or default_port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def env_email_server() -> EmailServer | None:
    """The SMTP server from EMAIL_URL, else from EMAIL_HOST and friends, else None."""
    if url := env_str("EMAIL_URL"):
        return parse_email_url(url)
    if host := env_str("EMAIL_HOST"):
        return EmailServer(
            host=host,
            port=env_int("EMAIL_PORT", 587),
            user=env_str("EMAIL_HOST_USER"),
            password=env_str("EMAIL_HOST_PASSWORD"),
            use_tls=env_bool("EMAIL_USE_TLS", default=True),
            use_ssl=env_bool("EMAIL_USE_SSL", default=False),
        )
    return None
