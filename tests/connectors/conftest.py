"""Fixtures for the social-security connectors: the simulators served by the live server."""

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from wib.connectors.oauth import clear_token_cache, generate_private_key_file, public_key_pem


@pytest.fixture
def client_key(tmp_path: Path) -> Path:
    """A fresh private key of our client, as an operator would install it."""
    path = tmp_path / "keys" / "client.pem"
    generate_private_key_file(path)
    return path


@pytest.fixture
def social_security(live_server, settings, client_key: Path) -> Iterator[SimpleNamespace]:
    """Point the connectors at the simulators; the token endpoint trusts `client_key`."""
    public = client_key.with_name("client-public.pem")
    public.write_bytes(public_key_pem(client_key.read_bytes()))
    settings.WIB_SIMULATORS_ENABLED = True
    settings.WIB_SOCIAL_SECURITY_CLIENT_ID = "wib-test-client"
    settings.WIB_SOCIAL_SECURITY_PRIVATE_KEY_PATH = str(client_key)
    settings.WIB_SOCIAL_SECURITY_SIMULATOR_PUBLIC_KEY_PATH = str(public)
    settings.WIB_SOCIAL_SECURITY_TOKEN_URL = live_server.url + "/simulators/socialsecurity/token"
    settings.WIB_DIMONA_URL = live_server.url + "/simulators/dimona"
    settings.WIB_DMFA_URL = live_server.url + "/simulators/dmfa"
    clear_token_cache()
    yield SimpleNamespace(
        url=live_server.url,
        token_url=settings.WIB_SOCIAL_SECURITY_TOKEN_URL,
        key_path=client_key,
    )
    clear_token_cache()
