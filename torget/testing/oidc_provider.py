"""A real OpenID Connect provider for the e-ID tests, built on Authlib's server components.

It plays the broker a municipality connects BankID, Freja eID+ and eIDAS through: discovery,
JWKS, an authorization endpoint that insists on PKCE (S256), a token endpoint that issues
RS256-signed ID tokens and a userinfo endpoint. Torget talks to it over real HTTP; nothing is
mocked. There is no log-in page: the test says who is "in front of the screen"::

    oidc_provider.login_as(ssn="198001010001")   # every authorization logs in this person
    oidc_provider.deny_next()                    # the next one is cancelled (access_denied)

Storage is in memory and lives as long as the provider.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo, UserInfoEndpoint
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

CODE_LIFETIME = 60
TOKEN_LIFETIME = 300


@dataclass
class Person:
    """Who the provider authenticates: a personal identity number and any other claims."""

    ssn: str
    claims: dict[str, Any] = field(default_factory=dict)
    # Backdates auth_time, as a broker that reuses an earlier single sign-on would.
    authenticated_seconds_ago: int = 0

    @property
    def sub(self) -> str:
        # A pairwise-looking subject, not the number: brokers do not use the number as `sub`.
        return "sub-" + hashlib.sha256(f"torget-test:{self.ssn}".encode()).hexdigest()[:20]


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uri: str
    token_endpoint_auth_method: str
    client_metadata: dict[str, Any] = field(default_factory=dict)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    auth_time: int
    code_challenge: str | None
    code_challenge_method: str | None
    user: Person
    issued_at: float = field(default_factory=time.time)

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


@dataclass
class Token(TokenMixin):
    access_token: str
    scope: str
    client: Client
    user: Person
    issued_at: float = field(default_factory=time.time)

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return TOKEN_LIFETIME

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + TOKEN_LIFETIME

    def is_revoked(self) -> bool:
        return False

    def get_user(self) -> Person:
        return self.user

    def get_client(self) -> Client:
        return self.client


class StrictCodeChallenge(CodeChallenge):
    """PKCE for every client, confidential ones too, and only S256 (as brokers now require)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        if not grant.request.payload.data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge'")
        if grant.request.payload.data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method'")
        super().validate_code_challenge(grant, redirect_uri)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class OIDCProvider:
    """An OpenID Provider on 127.0.0.1 (a free port), in a background thread."""

    def __init__(
        self,
        *,
        client_id: str = "torget",
        client_secret: str | None = None,
        redirect_uri: str = "http://testserver/legitimera/oidc/retur/",
        pin_claim: str = "ssn",
        pin_in_userinfo_only: bool = False,
        token_endpoint_auth_method: str = "client_secret_basic",  # noqa: S107 (a method name)
    ) -> None:
        self.client = Client(
            client_id=client_id,
            client_secret=client_secret or secrets.token_urlsafe(24),
            redirect_uri=redirect_uri,
            token_endpoint_auth_method=token_endpoint_auth_method,
        )
        # Where the personal identity number goes: brokers differ (ssn, nin, …).
        self.pin_claim = pin_claim
        self.pin_in_userinfo_only = pin_in_userinfo_only
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": "test-" + secrets.token_hex(4), "use": "sig", "alg": "RS256"}
        )
        # The key ID tokens are signed with; set another to test signature checks (the JWKS
        # still publishes `key`).
        self.signing_key = self.key
        # Claims forced into the next ID tokens (e.g. {"aud": "someone-else"}), to test checks.
        self.id_token_overrides: dict[str, Any] = {}
        # What Torget sent, for assertions: every path asked for; authorization requests' query
        # parameters; token requests' form fields.
        self.paths: list[str] = []
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self._person: Person | None = None
        self._deny_next = False
        self._codes: dict[str, AuthorizationCode] = {}
        self._tokens: dict[str, Token] = {}
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, self._create_app(), threaded=True, request_handler=_QuietHandler
        )
        self.issuer = f"http://127.0.0.1:{self._server.port}"
        self._thread: threading.Thread | None = None

    # --- What tests call ------------------------------------------------------------------

    def login_as(
        self,
        ssn: str,
        *,
        claims: dict[str, Any] | None = None,
        authenticated_seconds_ago: int = 0,
    ) -> None:
        """From now on every authorization authenticates this person (until changed)."""
        self._person = Person(
            ssn=ssn, claims=dict(claims or {}), authenticated_seconds_ago=authenticated_seconds_ago
        )

    def logout(self) -> None:
        self._person = None

    def deny_next(self) -> None:
        """The next authorization is cancelled by the user: redirect with error=access_denied."""
        self._deny_next = True

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    # --- The provider ---------------------------------------------------------------------

    def _create_app(self) -> Flask:
        provider = self
        app = Flask(__name__)
        app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": TOKEN_LIFETIME}

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, request: Any) -> None:
                data = request.payload.data
                person: Person = request.user
                with provider._lock:
                    provider._codes[code] = AuthorizationCode(
                        code=code,
                        client_id=request.client.client_id,
                        redirect_uri=request.payload.redirect_uri,
                        scope=request.payload.scope,
                        nonce=data.get("nonce"),
                        auth_time=int(time.time()) - person.authenticated_seconds_ago,
                        code_challenge=data.get("code_challenge"),
                        code_challenge_method=data.get("code_challenge_method"),
                        user=person,
                    )
                    if data.get("nonce"):
                        provider._nonces.add(data["nonce"])

            def query_authorization_code(self, code: str, client: Client) -> Any:
                with provider._lock:
                    item = provider._codes.get(code)
                if item and item.client_id == client.client_id:
                    if time.time() < item.issued_at + CODE_LIFETIME:
                        return item
                return None

            def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
                # A code is used once (RFC 6749 §4.1.2).
                with provider._lock:
                    provider._codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: AuthorizationCode) -> Person:
                return authorization_code.user

        class IDTokens(OpenIDCode):
            def exists_nonce(self, nonce: str, request: Any) -> bool:
                with provider._lock:
                    return nonce in provider._nonces

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.signing_key

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": [client.client_id]}

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": provider.signing_key.kid or ""}

            def generate_user_info(self, user: Person, scope: str) -> UserInfo:
                # Merged last into the ID token, so the overrides win over iss, aud, nonce, …
                claims = provider._claims(user, in_id_token=True)
                claims.update(provider.id_token_overrides)
                return claims

        class UserInfoFromToken(UserInfoEndpoint):
            def get_issuer(self) -> str:
                return provider.issuer

            def generate_user_info(self, user: Person, scope: str) -> UserInfo:
                return provider._claims(user, in_id_token=False)

        class Bearer(BearerTokenValidator):
            def authenticate_token(self, token_string: str) -> Token | None:
                with provider._lock:
                    return provider._tokens.get(token_string)

        def save_token(token: dict[str, Any], request: Any) -> None:
            with provider._lock:
                provider._tokens[token["access_token"]] = Token(
                    access_token=token["access_token"],
                    scope=token.get("scope", ""),
                    client=request.client,
                    user=request.user,
                )

        def query_client(client_id: str) -> Client | None:
            return provider.client if client_id == provider.client.client_id else None

        @app.before_request
        def record() -> None:
            provider.paths.append(request.path)

        server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
        server.register_grant(CodeGrant, [StrictCodeChallenge(required=True), IDTokens()])
        protector = ResourceProtector()
        protector.register_token_validator(Bearer())
        server.register_endpoint(UserInfoFromToken(resource_protector=protector))

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            issuer = provider.issuer
            return jsonify(
                {
                    "issuer": issuer,
                    "authorization_endpoint": f"{issuer}/authorize",
                    "token_endpoint": f"{issuer}/token",
                    "userinfo_endpoint": f"{issuer}/userinfo",
                    "jwks_uri": f"{issuer}/jwks",
                    "response_types_supported": ["code"],
                    "grant_types_supported": ["authorization_code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "scopes_supported": ["openid", "profile"],
                    "token_endpoint_auth_methods_supported": [
                        provider.client.token_endpoint_auth_method
                    ],
                    "code_challenge_methods_supported": ["S256"],
                    "prompt_values_supported": ["login", "none"],
                    "claims_supported": ["sub", "auth_time", "name", provider.pin_claim],
                }
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify({"keys": [provider.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize() -> Any:
            provider.authorize_requests.append(request.args.to_dict())
            person = provider._person
            if provider._deny_next:
                provider._deny_next = False
                person = None
            try:
                grant = server.get_consent_grant(end_user=person)
            except OAuth2Error as error:
                return server.handle_error_response(None, error)
            # No person (or a cancelled log-in): Authlib answers error=access_denied.
            return server.create_authorization_response(grant=grant, grant_user=person)

        @app.post("/token")
        def token() -> Any:
            provider.token_requests.append(request.form.to_dict())
            return server.create_token_response()

        @app.route("/userinfo", methods=["GET", "POST"])
        def userinfo() -> Any:
            return server.create_endpoint_response("userinfo")

        return app

    def _claims(self, person: Person, *, in_id_token: bool) -> UserInfo:
        claims: dict[str, Any] = {"sub": person.sub, **person.claims}
        if not (in_id_token and self.pin_in_userinfo_only):
            claims[self.pin_claim] = person.ssn
        return UserInfo(claims)
