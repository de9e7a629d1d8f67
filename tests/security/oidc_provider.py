"""A tiny but real OpenID Connect provider for the tests, served over HTTP on 127.0.0.1.

It speaks the authorisation-code flow as Entra ID and ID-porten do: a discovery document,
a JWKS with one RSA key, ``/authorize`` (which logs in whoever the test chose, without a
form, and redirects back with a code), ``/token`` (checks client secret, redirect URI and
PKCE, returns an RS256-signed ID token) and ``/userinfo`` (the claims, for the bearer token).
Standard library (wsgiref) plus PyJWT and cryptography, in a background thread.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "husly-test-key"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class OIDCProvider:
    client_id: str = "husly-test"
    client_secret: str = "test-secret-not-for-production"
    claims: dict[str, Any] = field(default_factory=dict)
    """The claims of the next person to log in; the test sets them."""
    audience: str | None = None
    """Issue ID tokens for another client than ``client_id`` (to test the audience check)."""
    issuer_override: str | None = None
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._codes: dict[str, dict[str, Any]] = {}
        self._tokens: dict[str, dict[str, Any]] = {}
        self._server: WSGIServer | None = None

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> OIDCProvider:
        self._server = make_server("127.0.0.1", 0, self.app, handler_class=_QuietHandler)
        # Polled for shutdown every 50 ms, not 0.5 s: stop() waits for the poll (each test).
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def issuer(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self, **extra: Any) -> dict[str, Any]:
        """A ``settings.HUSLY_OIDC[...]`` entry for this provider, read from its discovery
        document the way an operator would fill in the environment variables."""
        import requests

        discovery = requests.get(
            f"{self.issuer}/.well-known/openid-configuration", timeout=5
        ).json()
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "issuer": discovery["issuer"],
            "authorization_endpoint": discovery["authorization_endpoint"],
            "token_endpoint": discovery["token_endpoint"],
            "userinfo_endpoint": discovery["userinfo_endpoint"],
            "jwks_endpoint": discovery["jwks_uri"],
            "scopes": "openid profile",
            "sign_algo": "RS256",
            "acr_values": "",
            "label": "Testleverandør",
            "timeout": 5,
            **extra,
        }

    # --- the WSGI application -------------------------------------------------------------
    def app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        self.requests.append(path)
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
        }
        handler = routes.get(path)
        if handler is None:
            return self._json(start_response, {"error": "not_found"}, "404 Not Found")
        return handler(environ, query, start_response)

    def _json(
        self, start_response: Any, body: dict[str, Any], status: str = "200 OK"
    ) -> Iterable[bytes]:
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json")])
        return [data]

    def _discovery(self, environ: Any, query: Any, start_response: Any) -> Iterable[bytes]:
        return self._json(
            start_response,
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def _jwks(self, environ: Any, query: Any, start_response: Any) -> Iterable[bytes]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": KID, "alg": "RS256", "use": "sig"})
        return self._json(start_response, {"keys": [jwk]})

    def _authorize(self, environ: Any, query: Any, start_response: Any) -> Iterable[bytes]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return self._json(start_response, {"error": "invalid_request"}, "400 Bad Request")
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "code_challenge": query.get("code_challenge"),
            "claims": dict(self.claims),
        }
        location = f"{query['redirect_uri']}?" + urlencode({"code": code, "state": query["state"]})
        start_response("302 Found", [("Location", location)])
        return [b""]

    def _token(self, environ: Any, query: Any, start_response: Any) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        grant = self._codes.pop(form.get("code", ""), None)
        bad = (
            grant is None
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or form.get("redirect_uri") != grant["redirect_uri"]
        )
        if not bad and grant["code_challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            bad = challenge != grant["code_challenge"]
        if bad:
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        now = int(time.time())
        payload = {
            "iss": self.issuer_override or self.issuer,
            "aud": self.audience or self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["claims"],
        }
        id_token = jwt.encode(payload, self._key, algorithm="RS256", headers={"kid": KID})
        access_token = secrets.token_urlsafe(16)
        self._tokens[access_token] = grant["claims"]
        return self._json(
            start_response,
            {"access_token": access_token, "token_type": "Bearer", "id_token": id_token},
        )

    def _userinfo(self, environ: Any, query: Any, start_response: Any) -> Iterable[bytes]:
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        claims = self._tokens.get(token)
        if claims is None:
            return self._json(start_response, {"error": "invalid_token"}, "401 Unauthorized")
        return self._json(start_response, claims)
