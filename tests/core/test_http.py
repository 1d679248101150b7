"""The client address behind N trusted proxies: never a value the client wrote."""

import pytest
from django.test import RequestFactory

from core.http import client_ip


def request_with(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(forwarded="198.51.100.7")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # One proxy appends the address it saw: the last entry is the client.
        (1, "198.51.100.7", "198.51.100.7"),
        # A client that sends its own header only adds entries to the left.
        (1, "1.1.1.1, 2.2.2.2, 198.51.100.7", "198.51.100.7"),
        # Two proxies: the outer one wrote the client, the inner one the outer proxy.
        (2, "1.1.1.1, 198.51.100.7, 10.0.0.5", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, " 198.51.100.7 ", "198.51.100.7"),
    ],
)
def test_behind_proxies_the_client_is_the_nth_entry_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_with(remote="10.0.0.1", forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    "forwarded",
    [
        None,  # the request did not come through the proxy
        "",
        "198.51.100.7",  # one entry for two proxies: the header was not written by both
        "not-an-address, 10.0.0.5",
        "198.51.100.7:443, 10.0.0.5",
    ],
)
def test_a_header_that_did_not_pass_every_proxy_falls_back_to_the_nearest_hop(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with(remote="10.0.0.1", forwarded=forwarded)) == "10.0.0.1"


def test_a_missing_or_odd_remote_address_is_a_fixed_bucket_not_an_error(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(remote="")) == "unknown"
    assert client_ip(request_with(remote="garbage")) == "unknown"
