"""API defaults: closed to anonymous callers, throttled per trusted client address."""

import pytest
from django.core.cache import cache
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from api.throttling import ClientIPAnonRateThrottle, ClientIPUserRateThrottle


class TwoPerMinute(ClientIPAnonRateThrottle):
    rate = "2/min"


class DefaultsView(APIView):
    """A view that declares nothing, as a new endpoint would start."""

    def get(self, request):
        return Response({"ok": True})


class ThrottledView(DefaultsView):
    permission_classes = []
    throttle_classes = [TwoPerMinute]


def call(view, **meta):
    return view.as_view()(APIRequestFactory().get("/api/v1/thing/", **meta))


def test_an_endpoint_is_closed_to_anonymous_callers_unless_it_says_otherwise():
    response = call(DefaultsView)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_the_schema_stays_public(client):
    assert client.get("/api/v1/schema/").status_code == 200


def test_the_default_throttles_use_the_client_address_helper():
    assert [type(t) for t in DefaultsView().get_throttles()] == [ClientIPAnonRateThrottle, ClientIPUserRateThrottle]


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_header_does_not_reset_the_throttle(settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    cache.clear()

    def meta(forged):
        if proxies:
            return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": f"{forged}, 198.51.100.7"}
        return {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": forged}

    assert call(ThrottledView, **meta("192.0.2.1")).status_code == 200
    assert call(ThrottledView, **meta("192.0.2.2")).status_code == 200
    assert call(ThrottledView, **meta("192.0.2.3")).status_code == 429


def test_behind_a_proxy_each_client_is_throttled_on_its_own(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    for _ in range(2):
        call(ThrottledView, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert call(ThrottledView, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert call(ThrottledView, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200
