"""Every kind of page carries the security headers; the production profile passes check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRICT_REFERRER_POLICIES = {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}

PAGES = {
    "home": ("/nl/", 200),
    "authority form": ("/fr/authority/", 200),
    "authority result": ("/de/authority/?postcode=4700", 200),
    "authority error": ("/en/authority/?postcode=9999", 200),
    "contacts": ("/en/contacts/", 200),
    "not found": ("/nl/does-not-exist/", 404),
    # The admin's login hands over to the accounts login (second factor): a redirect.
    "admin login": ("/en/admin/login/", None),
    "healthz": ("/healthz", 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_page_carries_the_security_headers(client, page):
    url, status = PAGES[page]
    response = client.get(url)
    assert response.status_code == status if status else response.status_code in {200, 302}
    policy = response.headers["Content-Security-Policy"]
    directives = {
        words[0]: words[1:] for words in (part.split() for part in policy.split(";")) if words
    }
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in STRICT_REFERRER_POLICIES
    assert response.headers["X-Frame-Options"] == "DENY"


# Set by tests/conftest.py for Playwright; a real deployment never has it.
TEST_ONLY_VARIABLES = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def _production_environment(**overrides: str) -> dict[str, str]:
    excluded = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    excluded |= TEST_ONLY_VARIABLES
    environment = {key: value for key, value in os.environ.items() if key not in excluded}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "wib.config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "workinginbelgium.example.be",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    environment.update(overrides)
    return environment


def test_production_settings_pass_the_deployment_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_the_development_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_environment(SECRET_KEY="dev-only-insecure-key-change-me"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
