"""Google's and LinkedIn's OAuth endpoints as they answer, for the sign-in tests (mocked with ``responses``).

The JSON shapes are the providers' documented ones: Google's token response with
its OpenID Connect id_token (developers.google.com/identity/openid-connect/openid-connect),
LinkedIn's discovery document, token response and /v2/userinfo
(learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2).
Each id_token is a real RS256 JWT signed with a key made here.
"""

from __future__ import annotations

import time
from functools import cache
from urllib.parse import parse_qs, urlsplit

import jwt
import responses
from cryptography.hazmat.primitives.asymmetric import rsa

from taptime.settings.allauth import social_providers

GOOGLE_CLIENT_ID = "1234567890-abc123.apps.googleusercontent.com"
LINKEDIN_CLIENT_ID = "86abcdefghijkl"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
LINKEDIN_DISCOVERY_URL = "https://www.linkedin.com/oauth/.well-known/openid-configuration"
LINKEDIN_TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
LINKEDIN_USERINFO_URL = "https://api.linkedin.com/v2/userinfo"

LINKEDIN_DISCOVERY = {
    "issuer": "https://www.linkedin.com/oauth",
    "authorization_endpoint": "https://www.linkedin.com/oauth/v2/authorization",
    "token_endpoint": LINKEDIN_TOKEN_URL,
    "userinfo_endpoint": LINKEDIN_USERINFO_URL,
    "jwks_uri": "https://www.linkedin.com/oauth/openid/jwks",
    "response_types_supported": ["code"],
    "subject_types_supported": ["pairwise"],
    "id_token_signing_alg_values_supported": ["RS256"],
    "scopes_supported": ["openid", "profile", "email"],
    "claims_supported": [
        "iss",
        "aud",
        "iat",
        "exp",
        "sub",
        "name",
        "given_name",
        "family_name",
        "picture",
        "email",
        "email_verified",
        "locale",
    ],
}


def configure(settings, *, google: bool = True, linkedin: bool = True) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = social_providers(
        google_id=GOOGLE_CLIENT_ID if google else "",
        google_secret="GOCSPX-test-secret" if google else "",  # noqa: S106
        linkedin_id=LINKEDIN_CLIENT_ID if linkedin else "",
        linkedin_secret="WPL_AP1.test-secret" if linkedin else "",  # noqa: S106
    )


@cache
def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def id_token(claims: dict) -> str:
    return jwt.encode(claims, _key(), algorithm="RS256", headers={"kid": "test-key-1"})


def google_claims(*, email: str, verified=True, name: str = "Grace Hopper", sub: str = "109876543210987654321"):
    now = int(time.time())
    return {
        "iss": "https://accounts.google.com",
        "azp": GOOGLE_CLIENT_ID,
        "aud": GOOGLE_CLIENT_ID,
        "sub": sub,
        "email": email,
        "email_verified": verified,
        "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
        "name": name,
        "picture": "https://lh3.googleusercontent.com/a/ACg8ocK",
        "given_name": name.split(" ")[0],
        "family_name": name.split(" ")[-1],
        "locale": "en",
        "iat": now,
        "exp": now + 3599,
    }


def google_token_response(claims: dict) -> dict:
    return {
        "access_token": "ya29.a0AfB_byC-test",
        "expires_in": 3599,
        "scope": "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
        "token_type": "Bearer",
        "id_token": id_token(claims),
    }


def linkedin_userinfo(*, email: str, verified=True, name: str = "Linus Torvalds", sub: str = "782bbtaQ"):
    given, _, family = name.partition(" ")
    return {
        "sub": sub,
        "email_verified": verified,
        "name": name,
        "locale": {"country": "US", "language": "en"},
        "given_name": given,
        "family_name": family,
        "email": email,
        "picture": "https://media.licdn.com/dms/image/C4D03AQ/profile-displayphoto",
    }


def linkedin_token_response(userinfo: dict) -> dict:
    now = int(time.time())
    claims = {
        "iss": "https://www.linkedin.com/oauth",
        "aud": LINKEDIN_CLIENT_ID,
        "iat": now,
        "exp": now + 3600,
        "sub": userinfo["sub"],
        "name": userinfo["name"],
        "given_name": userinfo["given_name"],
        "family_name": userinfo["family_name"],
        "picture": userinfo["picture"],
        "email": userinfo["email"],
        "email_verified": userinfo["email_verified"],
        "locale": "en_US",
    }
    return {
        "access_token": "AQUvlL_DYEzvT2wz1QJiEPeLioeA",
        "expires_in": 5183999,
        "scope": "email,openid,profile",
        "token_type": "Bearer",
        "id_token": id_token(claims),
    }


def start(client, provider: str, *, process: str = "login") -> str:
    """Press the provider's button (a POST); return the ``state`` the provider would send back."""
    path = "/accounts/google/login/" if provider == "google" else "/accounts/oidc/linkedin/login/"
    response = client.post(f"{path}?process={process}")
    assert response.status_code == 302, response.content[:500]
    query = parse_qs(urlsplit(response["Location"]).query)
    return query["state"][0]


def callback_path(provider: str) -> str:
    return "/accounts/google/login/callback/" if provider == "google" else "/accounts/oidc/linkedin/login/callback/"


def google_dance(client, claims: dict, *, process: str = "login"):
    """The whole Google round trip at the HTTP boundary; the response to the callback."""
    state = start(client, "google", process=process)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, GOOGLE_TOKEN_URL, json=google_token_response(claims))
        return client.get(callback_path("google"), {"state": state, "code": "4/0AeanS0b-test", "scope": "email"})


def linkedin_dance(client, userinfo: dict, *, process: str = "login"):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, LINKEDIN_DISCOVERY_URL, json=LINKEDIN_DISCOVERY)
        state = start(client, "linkedin", process=process)
        mock.add(responses.POST, LINKEDIN_TOKEN_URL, json=linkedin_token_response(userinfo))
        mock.add(responses.GET, LINKEDIN_USERINFO_URL, json=userinfo)
        response = client.get(callback_path("linkedin"), {"state": state, "code": "AQTQmah11lalyH65DAIivsjsAQV"})
        token_calls = [call for call in mock.calls if call.request.url == LINKEDIN_TOKEN_URL]
        assert token_calls, "the token endpoint was not called"
        body = parse_qs(token_calls[0].request.body)
        assert body["client_id"] == [LINKEDIN_CLIENT_ID] and body["grant_type"] == ["authorization_code"]
        return response
