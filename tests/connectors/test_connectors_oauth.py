"""OAuth2 client credentials with a signed JWT client assertion, against the simulated endpoint."""

from datetime import UTC, datetime

import httpx
import pytest
import time_machine
from socialsecurity_helpers import EMPLOYER, worker_where

from wib.connectors import dimona
from wib.connectors.oauth import (
    CLIENT_ASSERTION_TYPE,
    SourceUnavailable,
    TokenRefused,
    access_token,
    client_assertion,
    generate_private_key_file,
)
from wib.simulators.socialsecurity import ACCESS_TOKEN_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)


def _post_assertion(token_url: str, assertion: str) -> httpx.Response:
    return httpx.post(
        token_url,
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": assertion,
        },
        timeout=10,
    )


def test_a_valid_assertion_gets_a_token_that_is_cached_until_shortly_before_expiry(
    social_security,
):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=True) as traveller:
        first = access_token(scope="dimona")
        assert first.value
        assert access_token(scope="dimona") is first
        traveller.shift(ACCESS_TOKEN_SECONDS - 60)
        assert access_token(scope="dimona") is first
        traveller.shift(40)  # within the renewal margin: a new token is fetched
        second = access_token(scope="dimona")
    assert second.value != first.value
    assert second.expires_at > first.expires_at


def test_the_token_lets_a_data_service_answer(social_security):
    insz, _employment = worker_where(lambda employment: True)
    result = dimona.employment_relations(insz=insz, employer_number=EMPLOYER)
    assert result.periods


def test_an_assertion_signed_with_another_key_is_refused_with_401(
    social_security, settings, tmp_path
):
    other_key = tmp_path / "other.pem"
    generate_private_key_file(other_key)
    settings.WIB_SOCIAL_SECURITY_PRIVATE_KEY_PATH = str(other_key)
    with pytest.raises(TokenRefused) as refused:
        access_token()
    assert refused.value.http_status == 401
    # A data call without a token is a source we cannot use: the caller goes on by hand.
    insz, _employment = worker_where(lambda employment: True)
    with pytest.raises(SourceUnavailable):
        dimona.employment_relations(insz=insz, employer_number=EMPLOYER)


def test_an_expired_assertion_is_refused_with_401(social_security, settings):
    stale = client_assertion(
        client_id=settings.WIB_SOCIAL_SECURITY_CLIENT_ID,
        token_url=social_security.token_url,
        private_pem=social_security.key_path.read_bytes(),
        issued_at=datetime.now(UTC).timestamp() - 600,
    )
    response = _post_assertion(social_security.token_url, stale)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "expired" in response.json()["error_description"].lower()


def test_an_assertion_is_accepted_once_only(social_security, settings):
    assertion = client_assertion(
        client_id=settings.WIB_SOCIAL_SECURITY_CLIENT_ID,
        token_url=social_security.token_url,
        private_pem=social_security.key_path.read_bytes(),
    )
    assert _post_assertion(social_security.token_url, assertion).status_code == 200
    replay = _post_assertion(social_security.token_url, assertion)
    assert replay.status_code == 401


def test_an_assertion_for_another_client_is_refused(social_security, settings):
    assertion = client_assertion(
        client_id="someone-else",
        token_url=social_security.token_url,
        private_pem=social_security.key_path.read_bytes(),
    )
    assert _post_assertion(social_security.token_url, assertion).status_code == 401


def test_data_services_refuse_a_call_without_a_valid_bearer_token(social_security):
    insz, _employment = worker_where(lambda employment: True)
    url = social_security.url + "/simulators/dimona/employmentRelations/search"
    assert httpx.post(url, json={"ssin": insz}, timeout=10).status_code == 401
    forged = httpx.post(
        url, json={"ssin": insz}, headers={"Authorization": "Bearer not-a-token"}, timeout=10
    )
    assert forged.status_code == 401
