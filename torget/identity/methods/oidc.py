"""e-ID through an OpenID Connect broker: the usual way a municipality connects BankID,
Freja eID+ and foreign eIDAS e-IDs.

The authorization-code flow with PKCE (S256). `start` sends the citizen to the broker; the
callback (`torget.identity.oidc_views`) calls `identify` to exchange the code and read the
personal identity number from the signed ID token (or userinfo). Each start asks for a new
log-in (`prompt=login`, `max_age=0`) and `identify` refuses an ID token whose `auth_time` is
older than IDENTITY_FRESH_SECONDS: BankID forbids "ID-växling", so what counts is a fresh
e-ID step, never an earlier log-in. The number, the code and the tokens are never logged or
stored; only the keyed hash is (by `services.verification_complete`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import requests
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from torget.identity.methods import VerificationMethod

logger = logging.getLogger(__name__)

# Flows started in this browser and not yet returned, by state.
SESSION_KEY = "torget_oidc"
# A log-in left open longer than this at the broker is abandoned.
STATE_MAX_AGE_SECONDS = 10 * 60
# At most this many flows waiting at once per session (a few tabs, a double click).
MAX_PENDING = 5
DISCOVERY_CACHE_SECONDS = 60 * 60
# Clock skew allowed between the broker and us when checking exp, iat and auth_time.
LEEWAY_SECONDS = 30


# What went wrong, and the status it is answered with. The page lives here, beside the flow
# that fails, so that the callback view imports this module and never the other way round.
PROBLEMS = {
    "state": 400,  # unknown, used or expired state: not a flow started in this browser
    "cancelled": 200,  # the citizen cancelled at the broker
    "invalid_pin": 400,  # the broker vouched for something that is not a personnummer
    "stale": 400,  # an earlier log-in, not a fresh e-ID step
    "failed": 502,  # the broker could not be reached or answered nonsense
}


def problem(request: HttpRequest, kind: str, *, next_url: str = "/") -> HttpResponse:
    retry_url = reverse("identity:start", args=["oidc"]) + "?" + urlencode({"next": next_url})
    return render(
        request,
        "identity/oidc_problem.html",
        {"problem": kind, "retry_url": retry_url, "next": next_url},
        status=PROBLEMS[kind],
    )


class OIDCError(Exception):
    """The broker could not be reached, or answered something that cannot be trusted.

    The message is for the log: it never holds the number, the code or a token.
    """


class StaleAuthenticationError(OIDCError):
    """The broker vouched for an earlier log-in instead of a fresh e-ID step."""


@dataclass(frozen=True)
class Pending:
    """One flow waiting for the broker's answer, as kept in the session."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    next_url: str
    started: int

    @property
    def is_expired(self) -> bool:
        return time.time() - self.started > STATE_MAX_AGE_SECONDS


class OIDCMethod(VerificationMethod):
    slug = "oidc"
    # Lazy, translated when shown (the base class says str).
    description = _("Du legitimerar dig hos kommunens e-legitimeringstjänst.")  # type: ignore[assignment]

    @property
    def label(self) -> str:  # type: ignore[override]
        # Read when shown: the broker's name comes from the environment (OIDC_LABEL).
        return str(settings.OIDC_LABEL)

    def is_available(self) -> bool:
        return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)

    def start(self, request: HttpRequest, next_url: str) -> HttpResponse:
        try:
            config = discovery()
        except OIDCError as error:
            logger.warning("OIDC discovery failed: %s", error)
            return problem(request, "failed", next_url=next_url)
        pending = Pending(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),  # 86 characters (RFC 7636: 43–128)
            redirect_uri=request.build_absolute_uri(reverse("identity:oidc_callback")),
            next_url=next_url,
            started=int(time.time()),
        )
        _remember(request, pending)
        params = {
            "response_type": "code",
            "client_id": settings.OIDC_CLIENT_ID,
            "redirect_uri": pending.redirect_uri,
            "scope": settings.OIDC_SCOPES,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": _s256(pending.code_verifier),
            "code_challenge_method": "S256",
            # A new e-ID step every time, never the broker's single sign-on (no ID-växling).
            "prompt": "login",
            "max_age": "0",
            "ui_locales": "sv",
        }
        endpoint = config["authorization_endpoint"]
        separator = "&" if "?" in endpoint else "?"
        return HttpResponseRedirect(endpoint + separator + urlencode(params))


# --- Session state ---------------------------------------------------------------------------


def _remember(request: HttpRequest, pending: Pending) -> None:
    flows: dict[str, dict[str, Any]] = {
        state: flow
        for state, flow in request.session.get(SESSION_KEY, {}).items()
        if time.time() - flow.get("started", 0) <= STATE_MAX_AGE_SECONDS
    }
    flows[pending.state] = {
        "nonce": pending.nonce,
        "code_verifier": pending.code_verifier,
        "redirect_uri": pending.redirect_uri,
        "next": pending.next_url,
        "started": pending.started,
    }
    newest = sorted(flows.items(), key=lambda item: item[1]["started"])[-MAX_PENDING:]
    request.session[SESSION_KEY] = dict(newest)


def pop_pending(request: HttpRequest, state: str) -> Pending | None:
    """The flow this callback answers, taken out of the session so it is answered only once."""
    flows = dict(request.session.get(SESSION_KEY, {}))
    flow = flows.pop(state, None) if state else None
    if flow is None:
        return None
    request.session[SESSION_KEY] = flows
    return Pending(
        state=state,
        nonce=flow["nonce"],
        code_verifier=flow["code_verifier"],
        redirect_uri=flow["redirect_uri"],
        next_url=flow["next"],
        started=flow["started"],
    )


# --- Talking to the broker -------------------------------------------------------------------


def _cache_key(kind: str) -> str:
    issuer = hashlib.sha256(settings.OIDC_ISSUER.encode()).hexdigest()[:32]
    return f"torget:identity:oidc:{kind}:{issuer}"


def forget_discovery() -> None:
    """Drop the cached discovery document and keys (a new broker, or in tests)."""
    cache.delete_many([_cache_key("discovery"), _cache_key("jwks")])


def _get_json(url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise OIDCError(f"GET {url}: {type(error).__name__}") from None
    return _json_of(response, f"GET {url}")


def _json_of(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code != 200:
        # The OAuth error code only: an error body could echo what was sent.
        error = ""
        if response.headers.get("Content-Type", "").startswith("application/json"):
            try:
                error = str(response.json().get("error", ""))[:100]
            except ValueError:
                pass
        raise OIDCError(f"{what}: HTTP {response.status_code} {error}".rstrip())
    try:
        data = response.json()
    except ValueError:
        raise OIDCError(f"{what}: not JSON") from None
    if not isinstance(data, dict):
        raise OIDCError(f"{what}: not a JSON object")
    return data


def discovery() -> dict[str, Any]:
    """The broker's OpenID configuration, cached for an hour."""
    config: dict[str, Any] | None = cache.get(_cache_key("discovery"))
    if config is not None:
        return config
    issuer = settings.OIDC_ISSUER
    config = _get_json(f"{issuer}/.well-known/openid-configuration")
    # OpenID Connect Discovery §4.3: the document must be about the issuer we asked.
    if str(config.get("issuer", "")).rstrip("/") != issuer:
        raise OIDCError("discovery: issuer does not match OIDC_ISSUER")
    missing = {"authorization_endpoint", "token_endpoint", "jwks_uri"} - config.keys()
    if missing:
        raise OIDCError(f"discovery: missing {', '.join(sorted(missing))}")
    cache.set(_cache_key("discovery"), config, DISCOVERY_CACHE_SECONDS)
    return config


def _key_set(config: dict[str, Any], *, refresh: bool = False) -> KeySet:
    jwks: dict[str, Any] | None = None if refresh else cache.get(_cache_key("jwks"))
    if jwks is None:
        jwks = _get_json(config["jwks_uri"])
        cache.set(_cache_key("jwks"), jwks, DISCOVERY_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise OIDCError(f"jwks: unusable key set ({type(error).__name__})") from None


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _token_request(config: dict[str, Any], *, code: str, pending: Pending) -> dict[str, Any]:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending.redirect_uri,
        "code_verifier": pending.code_verifier,
    }
    client_id, secret = settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET
    # Discovery's default is client_secret_basic when the broker does not say.
    supported = config.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth: tuple[str, str] | None = None
    if "client_secret_basic" in supported:
        # RFC 6749 §2.3.1: form-encode the id and secret before Basic authentication.
        auth = (quote(client_id, safe=""), quote(secret, safe=""))
    elif "client_secret_post" in supported:
        data.update({"client_id": client_id, "client_secret": secret})
    else:
        raise OIDCError("token: the broker supports neither client_secret_basic nor _post")
    try:
        response = requests.post(
            config["token_endpoint"],
            data=data,
            auth=auth,
            headers={"Accept": "application/json"},
            timeout=settings.OIDC_TIMEOUT,
        )
    except requests.RequestException as error:
        raise OIDCError(f"token: {type(error).__name__}") from None
    token = _json_of(response, "token")
    if not isinstance(token.get("id_token"), str):
        raise OIDCError("token: no id_token in the answer")
    return token


def _id_token_claims(
    config: dict[str, Any], token: dict[str, Any], *, pending: Pending
) -> dict[str, Any]:
    """Check the ID token the way Authlib's own OpenID client does, then its freshness."""
    # Only what the broker says it signs with; never "none" or a shared-secret HMAC.
    algorithms = [
        alg
        for alg in config.get("id_token_signing_alg_values_supported") or ["RS256"]
        if alg != "none" and not alg.startswith("HS")
    ]
    try:
        try:
            decoded = jwt.decode(token["id_token"], _key_set(config), algorithms=algorithms)
        except InvalidKeyIdError:
            # The broker rotated its keys since we cached them.
            decoded = jwt.decode(
                token["id_token"], _key_set(config, refresh=True), algorithms=algorithms
            )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            options={
                "iss": {"essential": True, "value": config["issuer"]},
                "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
                "sub": {"essential": True},
                "exp": {"essential": True},
                "iat": {"essential": True},
            },
            params={
                "nonce": pending.nonce,
                "client_id": settings.OIDC_CLIENT_ID,
                "access_token": token.get("access_token"),
            },
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as error:
        # joserfc's messages name the claim, never its value.
        raise OIDCError(f"id_token: {error}") from None
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int | float) or isinstance(auth_time, bool):
        raise StaleAuthenticationError("id_token: no auth_time")
    if time.time() - auth_time > settings.IDENTITY_FRESH_SECONDS + LEEWAY_SECONDS:
        raise StaleAuthenticationError("id_token: auth_time older than IDENTITY_FRESH_SECONDS")
    return dict(claims)


def _userinfo(config: dict[str, Any], token: dict[str, Any], *, sub: str) -> dict[str, Any]:
    endpoint = config.get("userinfo_endpoint")
    access_token = token.get("access_token")
    if not endpoint or not access_token:
        raise OIDCError("userinfo: no endpoint or access token")
    info = _get_json(
        endpoint,
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    # OpenID Connect Core §5.3.2: userinfo about anyone else must not be used.
    if info.get("sub") != sub:
        raise OIDCError("userinfo: sub differs from the ID token")
    return info


def identify(*, code: str, pending: Pending) -> str:
    """Exchange the code and return the personal identity number the broker vouches for.

    The number is returned as given (checked by the caller with `personnummer.parse`).
    Raises OIDCError (StaleAuthenticationError for an earlier log-in).
    """
    config = discovery()
    token = _token_request(config, code=code, pending=pending)
    claims = _id_token_claims(config, token, pending=pending)
    claim = settings.OIDC_PIN_CLAIM
    value = claims.get(claim)
    if value in (None, ""):
        # Some brokers keep the number out of the ID token and give it at userinfo.
        value = _userinfo(config, token, sub=claims["sub"]).get(claim)
    if value in (None, "") or not isinstance(value, str | int):
        raise OIDCError(f"no {claim!r} claim in the ID token or userinfo")
    return str(value)
