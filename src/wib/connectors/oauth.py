"""Access to the social-security REST services: OAuth2 client credentials with a signed JWT.

The Crossroads Bank for Social Security and the NSSO authorise machine clients with the OAuth2
client-credentials grant, the client authenticating with a JWT it signs with its private key
(RFC 7523, `private_key_jwt`): no shared secret travels. The assertion carries iss = sub = the
client id, aud = the token endpoint, a random jti (the server refuses a replay) and a short exp.

Settings (environment): WIB_SOCIAL_SECURITY_TOKEN_URL, WIB_SOCIAL_SECURITY_CLIENT_ID,
WIB_SOCIAL_SECURITY_PRIVATE_KEY_PATH (PEM, PKCS#8). In development and tests, a missing key file
is generated on first use (only while the simulators are enabled: in production a missing key is
a configuration error, never silently replaced).

Errors for the callers of every social-security source live here too: `SourceUnavailable` (time-
out, connection failure, 5xx, refused token) and `NotFound` (the source knows no such record).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from .base import http_timeout

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHM = "RS256"
# Short-lived on purpose: an intercepted assertion is useless after a minute, and the jti makes
# it single-use anyway.
ASSERTION_LIFETIME_SECONDS = 60
# A cached token is renewed this long before it expires, so a call never leaves with a token
# that dies on the way.
TOKEN_RENEWAL_MARGIN_SECONDS = 30


class SourceError(Exception):
    """A social-security source did not give what was asked."""

    def __init__(self, message: str, *, source: str = "", http_status: int | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.http_status = http_status


class SourceUnavailable(SourceError):
    """The source did not answer usefully: time-out, connection refused, 5xx, or no token."""


class NotFound(SourceError):
    """The source answered, and knows no such record."""


class TokenRefused(SourceUnavailable):
    """The token endpoint refused our client assertion (401/400): a configuration problem."""


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_at: float  # seconds since the epoch
    scope: str = ""

    def usable(self, *, now: float | None = None) -> bool:
        moment = time.time() if now is None else now
        return moment < self.expires_at - TOKEN_RENEWAL_MARGIN_SECONDS


_cache: dict[tuple[str, str, str], AccessToken] = {}
_cache_lock = threading.Lock()


def clear_token_cache() -> None:
    """Forget every cached token (after a key rotation, and between tests)."""
    with _cache_lock:
        _cache.clear()


def private_key_path() -> Path:
    return Path(settings.WIB_SOCIAL_SECURITY_PRIVATE_KEY_PATH)


def generate_private_key_file(path: Path) -> None:
    """Write a new 2048-bit RSA key as PKCS#8 PEM, readable by the owner only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)


def load_private_key() -> bytes:
    """The client's private key (PEM); generated first in development, never in production."""
    path = private_key_path()
    if not path.exists():
        if not settings.WIB_SIMULATORS_ENABLED:
            raise TokenRefused(
                f"The social-security private key {path} does not exist.", source="oauth"
            )
        generate_private_key_file(path)
    return path.read_bytes()


def public_key_pem(private_pem: bytes) -> bytes:
    """The public half of a private key, as the other side registers it."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def client_assertion(
    *,
    client_id: str,
    token_url: str,
    private_pem: bytes,
    issued_at: float | None = None,
    lifetime: int = ASSERTION_LIFETIME_SECONDS,
) -> str:
    """A signed RFC 7523 client assertion."""
    now = int(time.time() if issued_at is None else issued_at)
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, private_pem, algorithm=ASSERTION_ALGORITHM)


def request_token(*, scope: str = "") -> AccessToken:
    """Ask the token endpoint for a new access token (no cache)."""
    token_url = settings.WIB_SOCIAL_SECURITY_TOKEN_URL
    client_id = settings.WIB_SOCIAL_SECURITY_CLIENT_ID
    assertion = client_assertion(
        client_id=client_id, token_url=token_url, private_pem=load_private_key()
    )
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": assertion,
    }
    if scope:
        form["scope"] = scope
    requested_at = time.time()
    response = _send("oauth", "POST", token_url, data=form)
    if response.status_code in (400, 401):
        raise TokenRefused(
            f"The token endpoint refused the client assertion: HTTP {response.status_code} "
            f"{response.text[:200]}",
            source="oauth",
            http_status=response.status_code,
        )
    if response.status_code != 200:
        raise SourceUnavailable(
            f"Token endpoint answered HTTP {response.status_code}.",
            source="oauth",
            http_status=response.status_code,
        )
    try:
        answer = response.json()
        value = str(answer["access_token"])
        expires_in = int(answer.get("expires_in", 300))
    except (ValueError, KeyError, TypeError) as error:
        raise SourceUnavailable(
            "The token endpoint's answer is not a token.", source="oauth"
        ) from error
    return AccessToken(
        value=value, expires_at=requested_at + expires_in, scope=str(answer.get("scope", scope))
    )


def access_token(*, scope: str = "") -> AccessToken:
    """A valid access token, from the cache while it has more than the margin left."""
    key = (settings.WIB_SOCIAL_SECURITY_TOKEN_URL, settings.WIB_SOCIAL_SECURITY_CLIENT_ID, scope)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached.usable():
            return cached
    token = request_token(scope=scope)
    with _cache_lock:
        _cache[key] = token
    return token


def _send(source: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        with httpx.Client(timeout=http_timeout()) as client:
            return client.request(method, url, **kwargs)
    except httpx.TransportError as error:
        # Connection refused, DNS failure, time-out, connection dropped: the source is not there.
        raise SourceUnavailable(f"{type(error).__name__}: {error}", source=source) from error


def authorised_post(*, source: str, url: str, payload: dict[str, Any], scope: str = "") -> Any:
    """POST JSON with a bearer token and return the decoded answer; map failures to errors.

    A 401 on a cached token means the other side forgot it (restart, revocation): one new token
    is fetched and the call is tried once more.
    """
    for attempt in range(2):
        token = access_token(scope=scope)
        response = _send(
            source,
            "POST",
            url,
            json=payload,
            headers={"Authorization": f"Bearer {token.value}", "Accept": "application/json"},
        )
        if response.status_code == 401 and attempt == 0:
            with _cache_lock:
                _cache.clear()
            continue
        break
    status = response.status_code
    if status == 404:
        raise NotFound(f"{source}: no such record.", source=source, http_status=status)
    if status != 200:
        raise SourceUnavailable(
            f"{source} answered HTTP {status}: {response.text[:200]}",
            source=source,
            http_status=status,
        )
    try:
        return response.json()
    except ValueError as error:
        raise SourceUnavailable(
            f"{source} answered something other than JSON.", source=source
        ) from error
