"""Kraken-shaped GraphQL errors and the per-host authentication codes.

Kraken puts its error code in `extensions.errorCode`, next to `errorType`,
`errorDescription` and `errorClass`. The main host uses `KT-CT-` codes, the backend
host `OE-` codes (its introspection lists OE-0101/0102/0103/0104 for the
Authorization header). Codes the reference does not name are marked `SIM-`.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

AUTH_ERRORS: dict[str, dict[str, tuple[str, str]]] = {
    "api": {
        "missing": ("KT-CT-1112", "'Authorization' header not provided."),
        "invalid": ("KT-CT-1111", "Unauthorized."),
        "expired": ("KT-CT-1124", "Signature of the JWT has expired."),
        "forbidden": ("KT-CT-1111", "Unauthorized."),
    },
    "backend": {
        "missing": ("OE-0101", "'Authorization' header not provided."),
        "invalid": ("OE-0102", "'Authorization' header is invalid."),
        "expired": ("OE-0104", "'Authorization' header has expired."),
        "forbidden": ("OE-0103", "Unauthorized."),
    },
}


def kraken_error(
    code: str,
    message: str,
    *,
    description: str | None = None,
    error_type: str = "VALIDATION",
    **extra: Any,
) -> GraphQLError:
    """A resolver error carrying Kraken's extensions."""
    extensions = {
        "errorType": error_type,
        "errorCode": code,
        "errorDescription": description or message,
        "errorClass": error_type,
        **extra,
    }
    return GraphQLError(message, extensions=extensions)


def auth_error(host: str, kind: str) -> GraphQLError:
    """The host's error for a missing, invalid, expired or foreign token."""
    code, message = AUTH_ERRORS[host][kind]
    return kraken_error(code, message, error_type="AUTHORIZATION")


def invalid_data(host: str, description: str) -> GraphQLError:
    """Kraken's generic "Invalid data." validation error."""
    code = "KT-CT-4177" if host == "api" else "OE-0315"
    return kraken_error(code, "Invalid data.", description=description)
