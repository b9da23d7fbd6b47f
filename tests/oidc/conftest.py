"""A real OpenID provider (the npm package oidc-provider) on loopback, for the federated login."""

import os
import shutil
import socket
import subprocess
from pathlib import Path

import httpx
import pytest
from oidc_test_settings import CLIENT_ID, CLIENT_SECRET, TEST_NRN

PROVIDER_DIR = Path(__file__).parent / "provider"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """Start `node server.js` once per session; yield its issuer URL; stop it at the end."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail(
            "Node.js and npm are needed for the OpenID Connect tests (apt install nodejs npm)"
        )
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=300
        )
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "TEST_NRN": TEST_NRN,
    }
    process = subprocess.Popen(
        [node, "server.js"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        # The server prints one line once it listens: block on it rather than sleep-polling.
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening" not in line:
            pytest.fail(f"the test OpenID provider did not start: {line!r}")
        response = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
