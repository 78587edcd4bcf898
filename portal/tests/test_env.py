import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import (
    EmailServer,
    env_bool,
    env_email_server,
    env_int,
    env_list,
    parse_email_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
        ("off", False),
    ],
)
def test_env_bool_reads_common_words(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_uses_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True


def test_env_bool_rejects_a_typo(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG")


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be a whole number"):
        env_int("NUMBER", 1)


def test_env_int_reads_numbers_and_defaults(monkeypatch):
    monkeypatch.setenv("NUMBER", "42")
    assert env_int("NUMBER", 1) == 42
    monkeypatch.setenv("NUMBER", " ")
    assert env_int("NUMBER", 7) == 7


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.com, ,b.example.com,")
    assert env_list("HOSTS") == ["a.example.com", "b.example.com"]


def test_parse_email_url_with_starttls_and_quoted_password():
    server = parse_email_url("smtp+tls://user%40example.com:p%40ss@smtp.example.com")
    assert server == EmailServer(
        host="smtp.example.com",
        port=587,
        user="user@example.com",
        password="p@ss",
        use_tls=True,
        use_ssl=False,
    )


def test_parse_email_url_implicit_tls_and_explicit_port():
    server = parse_email_url("smtps://smtp.example.com:2465")
    assert (server.port, server.use_ssl, server.use_tls) == (2465, True, False)


@pytest.mark.parametrize("url", ["http://smtp.example.com", "smtp://", "console://"])
def test_parse_email_url_rejects_unknown_schemes_and_missing_hosts(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url(url)


def test_env_email_server_from_the_usual_variables(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    monkeypatch.setenv("EMAIL_HOST", "mail.example.com")
    monkeypatch.setenv("EMAIL_PORT", "2525")
    monkeypatch.setenv("EMAIL_USE_TLS", "false")
    server = env_email_server()
    assert (server.host, server.port, server.use_tls) == ("mail.example.com", 2525, False)


def test_env_email_server_is_none_without_configuration(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    assert env_email_server() is None
