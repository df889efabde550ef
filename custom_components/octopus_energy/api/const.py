"""Hosts, headers, limits and error codes of the Octopus Energy (Kraken) API."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

VERSION: Final = "0.1.0"
"""Version of this client, sent in the `User-Agent` (the integration's version)."""

DEFAULT_USER_AGENT: Final = f"home-assistant-octopus-energy/{VERSION}"

DEFAULT_BASE_URL: Final = "https://api.octopus.energy"
"""REST `/v1/...` and the main GraphQL endpoint (token, account, devices, points)."""

DEFAULT_BACKEND_URL: Final = "https://api.backend.octopus.energy"
"""Backend GraphQL (heat pump, greener nights, saving sessions, wheel of fortune)."""

GRAPHQL_PATH: Final = "/v1/graphql/"
DEFAULT_TIMEOUT: Final = 20.0
"""Seconds for one HTTP request, connection included."""

MAX_PAGES: Final = 200
"""Stop following `next` links after this many pages (a guard against loops)."""

TOKEN_LIFETIME: Final = timedelta(hours=1)
"""Assumed access-token lifetime when the token carries no readable `exp`."""

TOKEN_REFRESH_MARGIN: Final = timedelta(0)
"""How long before its expiry a token is renewed: not at all, each token is used for
its whole life (with a GraphQL call due every minute, any positive margin turns 24
token requests a day into 25). A call racing the expiry is refused (KT-CT-1124)
and retried once with a new token: still one token request."""
TOKEN_MAX_ATTEMPTS: Final = 3
TOKEN_ATTEMPT_WINDOW: Final = timedelta(minutes=10)

AUTH_ERROR_CODES: Final = frozenset(
    {
        "KT-CT-1112",  # no Authorization header
        "KT-CT-1124",
        "KT-CT-1134",
        "KT-CT-1135",
        "KT-CT-1139",
        "KT-CT-1143",
        "OE-0101",
        "OE-0102",
        "OE-0103",
        "OE-0104",
    }
)
"""GraphQL error codes meaning the key or token is not accepted."""

NOT_VISIBLE_ERROR_CODES: Final = frozenset({"KT-CT-1111"})
"""The token is fine but may not see the account (or device) asked for: a wrong
account number, never a refused key."""
KEY_REFUSALS_FOR_REAUTH: Final = 3
KEY_REFUSAL_PERIOD: Final = timedelta(hours=2)
"""The key counts as refused for good (re-authentication) only after this many
consecutive refused token requests with the API key spanning at least this long;
shorter spells (an hour of KT-CT-1139) are temporary failures."""

RATE_LIMIT_ERROR_CODES: Final = frozenset({"KT-CT-1199"})
NO_DISPATCH_DATA_CODES: Final = frozenset({"KT-CT-4340"})
"""Codes of the dispatches query that mean "no data", not an error (OE#1844)."""
