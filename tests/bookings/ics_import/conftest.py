import socket

import pytest

# Host names the import tests use, and what they resolve to (the tests never reach the network).
ADDRESSES = {
    "calendar.google.com": "142.250.185.78",
    "outlook.office365.com": "52.97.146.178",
    "intranet.example": "10.0.0.5",
    "metadata.example": "169.254.169.254",
    "localhost": "127.0.0.1",
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        if host not in ADDRESSES and not host.replace(".", "").isdigit():
            raise socket.gaierror("unknown host")
        address = ADDRESSES.get(host, host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr("socket.getaddrinfo", resolve)
