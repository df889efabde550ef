"""Exceptions raised by the OSO Energy API client.

Everything the client raises derives from `OSOEnergyError`:

    OSOEnergyError
    ├── OSOEnergyConnectionError       network failure, DNS, refused connection
    │   └── OSOEnergyTimeoutError      no answer within the request timeout
    └── OSOEnergyResponseError         the API answered with an error or nonsense
        ├── OSOEnergyAuthenticationError   401/403 from the API itself: subscription
        │                                  key invalid or revoked (an HTML 401/403 of a
        │                                  proxy is a plain OSOEnergyResponseError)
        ├── OSOEnergyRateLimitError        429, with `retry_after` in seconds when given
        ├── OSOEnergyNotFoundError         404: unknown device or route
        └── OSOEnergyServerError           5xx
"""

from __future__ import annotations


class OSOEnergyError(Exception):
    """Base class for every error of the OSO Energy client."""


class OSOEnergyConnectionError(OSOEnergyError):
    """The API could not be reached."""


class OSOEnergyTimeoutError(OSOEnergyConnectionError):
    """The API did not answer in time."""


class OSOEnergyResponseError(OSOEnergyError):
    """The API answered with an error status or a body that cannot be used."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status with the message."""
        super().__init__(message)
        self.status = status


class OSOEnergyAuthenticationError(OSOEnergyResponseError):
    """The subscription key was refused."""


class OSOEnergyRateLimitError(OSOEnergyResponseError):
    """Too many requests; try again after `retry_after` seconds (if known)."""

    def __init__(
        self, message: str, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        """Keep how long the API asked us to wait."""
        super().__init__(message, status)
        self.retry_after = retry_after


class OSOEnergyNotFoundError(OSOEnergyResponseError):
    """The device or route does not exist."""


class OSOEnergyServerError(OSOEnergyResponseError):
    """The API failed on its side (5xx)."""
