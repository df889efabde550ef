"""Exceptions raised by the Octopus Energy API client.

Everything the client raises derives from `OctopusEnergyError`:

    OctopusEnergyError
    ├── OctopusEnergyConnectionError        network failure, DNS, refused connection
    │   └── OctopusEnergyTimeoutError       no answer within the request timeout
    └── OctopusEnergyResponseError          the API answered with an error or nonsense
        ├── OctopusEnergyAuthenticationError    KT-CT-1139 and friends, HTTP 401 and
        │                                       a JSON 403
        ├── OctopusEnergyRateLimitError         KT-CT-1199, HTTP 429, a CloudFront
        │                                       block, or the token-attempt budget;
        │                                       `retry_after` in seconds when known
        ├── OctopusEnergyNotFoundError          HTTP 404, unknown account or product
        │   └── OctopusEnergyNotVisibleError    KT-CT-1111: the key may not see the
        │                                       account (a wrong account number)
        ├── OctopusEnergyServerError            HTTP 5xx, or an HTML 403 page of a
        │                                       gateway (not the API's answer)
        └── OctopusEnergyBoostRefusedError      `updateBoostCharge` refused, with the
                                                `boostChargeRefusalReasons`

Every response error keeps the HTTP `status` and the GraphQL `codes`
(`errors[].extensions.errorCode`). Messages never contain the API key, a token, the
account number or a meter identifier.
"""

from __future__ import annotations

from collections.abc import Sequence


class OctopusEnergyError(Exception):
    """Base class for every error of the Octopus Energy client."""


class OctopusEnergyConnectionError(OctopusEnergyError):
    """The API could not be reached."""


class OctopusEnergyTimeoutError(OctopusEnergyConnectionError):
    """The API did not answer in time."""


class OctopusEnergyResponseError(OctopusEnergyError):
    """The API answered with an error status, GraphQL errors or an unusable body."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        codes: Sequence[str] = (),
    ) -> None:
        """Keep the HTTP status and the GraphQL error codes with the message."""
        super().__init__(message)
        self.status = status
        self.codes: tuple[str, ...] = tuple(codes)


class OctopusEnergyAuthenticationError(OctopusEnergyResponseError):
    """The API key or the token was refused."""


class OctopusEnergyRateLimitError(OctopusEnergyResponseError):
    """Too many requests; try again after `retry_after` seconds (if known)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        codes: Sequence[str] = (),
        retry_after: float | None = None,
    ) -> None:
        """Keep how long to wait before the next attempt."""
        super().__init__(message, status, codes)
        self.retry_after = retry_after


class OctopusEnergyNotFoundError(OctopusEnergyResponseError):
    """The account, product, meter or route does not exist."""


class OctopusEnergyNotVisibleError(OctopusEnergyNotFoundError):
    """KT-CT-1111: the key is accepted but may not see this account (or device)."""


class OctopusEnergyServerError(OctopusEnergyResponseError):
    """The API failed on its side (5xx)."""


class OctopusEnergyBoostRefusedError(OctopusEnergyResponseError):
    """A boost charge was refused; `reasons` holds the `BC_...` codes."""

    def __init__(
        self,
        message: str,
        reasons: Sequence[str],
        status: int | None = None,
        codes: Sequence[str] = (),
    ) -> None:
        """Keep the refusal reasons."""
        super().__init__(message, status, codes)
        self.reasons: tuple[str, ...] = tuple(reasons)
