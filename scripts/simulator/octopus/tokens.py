"""Kraken tokens: `obtainKrakenToken` and the Authorization checks.

Access tokens are real JWTs (`header.payload.signature`, HS256 with a simulator
secret) whose `exp`/`iat` follow the simulator clock: 60 minutes. Refresh tokens
last 7 days; `refreshExpiresIn` is their expiry as a Unix time. Exchanging a
refresh token returns the same refresh token and expiry (it is not extended).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
import hmac
import json
from typing import Any

from graphql import GraphQLResolveInfo

from .errors import auth_error, kraken_error

ACCESS_LIFETIME = timedelta(minutes=60)
REFRESH_LIFETIME = timedelta(days=7)
SECRET = b"octopus-energy-simulator"
JWT_PARTS = 3
ISSUER = "https://api.octopus.energy/v1/graphql/"


@dataclass
class Context:
    """Per-request context handed to every resolver."""

    state: dict[str, Any]
    host: str  # "api" or "backend"
    now: datetime
    authorization: str | None


type Info = GraphQLResolveInfo[Context]
"""What resolvers receive, with the simulator's context."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(message: str) -> str:
    return _b64(hmac.new(SECRET, message.encode(), hashlib.sha256).digest())


def make_jwt(claims: dict[str, Any]) -> str:
    """Encode and sign claims."""
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{body}.{_sign(f'{header}.{body}')}"


def read_jwt(token: str) -> dict[str, Any] | None:
    """The claims of a token this simulator signed, or None."""
    parts = token.split(".")
    if len(parts) != JWT_PARTS or not hmac.compare_digest(
        _sign(f"{parts[0]}.{parts[1]}"), parts[2]
    ):
        return None
    try:
        claims = json.loads(_unb64(parts[1]))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def _issue(state: dict[str, Any], now: datetime, grant: str) -> dict[str, Any]:
    issued = int(now.timestamp())
    claims = {
        "sub": f"kraken|account-user:{state['user_id']}",
        "gty": grant,
        "email": state.get("email"),
        "tokenUse": "access",
        "iss": ISSUER,
        "iat": issued,
        "exp": issued + int(ACCESS_LIFETIME.total_seconds()),
        "origIat": issued,
    }
    return {"token": make_jwt(claims), "payload": claims}


def _with_api_key(state: dict[str, Any], now: datetime, key: str) -> dict[str, Any]:
    if key != state["api_key"]:
        raise kraken_error(
            "KT-CT-1139", "Authentication failed.", error_type="AUTHORIZATION"
        )
    answer = _issue(state, now, "API-KEY")
    refresh = _b64(hashlib.sha256(f"{answer['token']}/refresh".encode()).digest())
    expires = int((now + REFRESH_LIFETIME).timestamp())
    state["refresh_tokens"][refresh] = expires
    return {**answer, "refreshToken": refresh, "refreshExpiresIn": expires}


def _with_refresh_token(
    state: dict[str, Any], now: datetime, refresh: str
) -> dict[str, Any]:
    expires: int | None = state["refresh_tokens"].get(refresh)
    if expires is None:
        raise kraken_error(
            "KT-CT-1135", "Invalid data.", description="Invalid refresh token."
        )
    if expires <= now.timestamp():
        raise kraken_error(
            "KT-CT-1134", "Invalid data.", description="Refresh token has expired."
        )
    answer = _issue(state, now, "REFRESH_TOKEN")
    return {**answer, "refreshToken": refresh, "refreshExpiresIn": expires}


def obtain_kraken_token(info: Info, **args: Any) -> dict[str, Any]:
    """`obtainKrakenToken(input: {APIKey} | {refreshToken})`."""
    context: Context = info.context
    data = args["input"]
    if data.get("APIKey") is not None:
        return _with_api_key(context.state, context.now, data["APIKey"])
    if data.get("refreshToken") is not None:
        return _with_refresh_token(context.state, context.now, data["refreshToken"])
    raise kraken_error(
        "KT-CT-1138",
        "Please make sure the credentials are correct.",
        error_type="AUTHORIZATION",
    )


def require_user(info: Info) -> dict[str, Any]:
    """The claims of the request's token; raise the host's auth error otherwise."""
    context: Context = info.context
    header = (context.authorization or "").strip()
    if not header:
        raise auth_error(context.host, "missing")
    token = header.removeprefix("JWT ").strip()
    claims = read_jwt(token)
    if (
        claims is None
        or claims.get("sub") != f"kraken|account-user:{context.state['user_id']}"
    ):
        raise auth_error(context.host, "invalid")
    if claims.get("exp", 0) <= context.now.timestamp():
        raise auth_error(context.host, "expired")
    return claims


def require_account(info: Info, account_number: str) -> dict[str, Any]:
    """Check the token and that it may see this account; return the account."""
    require_user(info)
    account: dict[str, Any] = info.context.state["account"]
    if account_number != account.get("number"):
        raise auth_error(info.context.host, "forbidden")
    return account
