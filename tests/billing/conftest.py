"""A real Stripe-compatible server on loopback for the payment tests.

localstripe is GPL-licensed: it runs as its own process from its command line
and is never imported.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import stripe


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url():
    port = _free_port()
    executable = Path(sys.executable).with_name("localstripe")
    process = subprocess.Popen(
        [str(executable), "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{url}/v1/customers", auth=("sk_test_TapTimeLocalOnly0000000000000000", ""), timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def stripe_server(localstripe_url, settings):
    """Point the SDK (and dj-stripe) at the loopback server for one test."""
    previous = stripe.api_base
    settings.STRIPE_API_HOST = localstripe_url
    stripe.api_base = localstripe_url
    yield localstripe_url
    stripe.api_base = previous
