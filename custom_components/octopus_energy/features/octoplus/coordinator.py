"""The Octoplus coordinators: Power Down / Power Up sessions, and the points.

- `SessionsCoordinator` asks `savingSessions` (backend host) every hour: Power Down
  sessions are announced a day or more ahead, so an hour is soon enough to join
  them. Each retrieval fires the "all sessions" bus events and a "new session"
  event for each session not announced before (under both generations of names,
  see `names`); what was announced is stored, so a restart fires nothing again.
  Joining a session makes one request and one targeted retrieval.
- `PointsCoordinator` asks the Octopoints balance (main host) every 6 hours (it
  changes when a reward is posted, a day after a session) and once right after a
  redemption.

Both keep their data in a `Store`: a restart within the interval asks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from ...api import OctopusEnergyError, SavingSessions
from ...const import DOMAIN
from ...polled import StoredPollCoordinator
from .model import (
    OctoplusSessions,
    new_power_down_payload,
    new_power_up_payload,
    power_down_payload,
    power_up_payload,
    sort_sessions,
)
from .names import Programme, names_of

POINTS_PER_POUND: Final = 8


def api_failure(key: str, err: OctopusEnergyError) -> HomeAssistantError:
    """An action refused or failed by the API, with the API's reason."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": str(err)},
    )


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """Bad input of an action (translated)."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


class SessionsCoordinator(StoredPollCoordinator[OctoplusSessions]):
    """The account's Power Down and Power Up sessions (hourly)."""

    interval = timedelta(hours=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Nothing announced yet (the store may say otherwise)."""
        super().__init__(
            *args, name="Octoplus sessions", store_key="octoplus_sessions", **kwargs
        )
        self.announced: set[str] = set()

    def _encode(self, data: OctoplusSessions) -> dict[str, Any]:
        return data.raw

    def _decode(self, document: dict[str, Any]) -> OctoplusSessions | None:
        return sort_sessions(SavingSessions.from_dict(document))

    def _extra_stored(self) -> dict[str, Any]:
        return {"announced": sorted(self.announced)}

    def _restore_extra(self, stored: dict[str, Any]) -> None:
        self.announced = {str(code) for code in stored.get("announced") or []}

    async def _async_poll(self) -> OctoplusSessions:
        api = await self.client.get_saving_sessions(self.account_number)
        data = sort_sessions(api)
        self._fire(data)
        return data

    def _fire(self, data: OctoplusSessions) -> None:
        """The bus events of a retrieval (both generations of names)."""
        now = dt_util.utcnow()
        bus, account = self.hass.bus, self.account_number
        fresh_down = [
            s for s in data.available_power_down(now) if s.code not in self.announced
        ]
        fresh_up = [
            s
            for s in data.power_up
            if s.code is not None and s.end > now and s.code not in self.announced
        ]
        for names in names_of(Programme.POWER_DOWN):
            for session in fresh_down:
                bus.async_fire(
                    names.new_event, new_power_down_payload(account, data, session)
                )
            bus.async_fire(names.all_event, power_down_payload(account, data, now))
        for names in names_of(Programme.POWER_UP):
            for session in fresh_up:
                bus.async_fire(names.new_event, new_power_up_payload(account, session))
            bus.async_fire(names.all_event, power_up_payload(account, data, now))
        current = {s.code for s in (*data.power_down, *data.power_up) if s.code}
        self.announced = (self.announced & current) | {
            str(s.code) for s in (*fresh_down, *fresh_up)
        }

    async def async_join(self, event_code: str) -> None:
        """Join a Power Down session, then retrieve the sessions once.

        Bad codes raise `ServiceValidationError`; a refusal `HomeAssistantError`.
        """
        data = self.data
        session = data.power_down_by_code(event_code) if data else None
        if session is None:
            raise invalid("power_down_unknown_event", event_code=event_code)
        if session.joined:
            raise invalid("power_down_already_joined", event_code=event_code)
        if session.start <= dt_util.utcnow():
            raise invalid("power_down_closed", event_code=event_code)
        try:
            await self.client.join_saving_session(self.account_number, event_code)
        except OctopusEnergyError as err:
            raise api_failure("power_down_join_failed", err) from err
        await self.async_refresh()


@dataclass(frozen=True, kw_only=True)
class Points:
    """The Octopoints balance."""

    balance: int

    @property
    def redeemable(self) -> int:
        """The balance rounded down to whole pounds (8 points each)."""
        return self.balance // POINTS_PER_POUND * POINTS_PER_POUND


class PointsCoordinator(StoredPollCoordinator[Points]):
    """The account's Octopoints (every 6 hours, and after a redemption)."""

    interval = timedelta(hours=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Store as `octoplus_points`."""
        super().__init__(
            *args, name="Octoplus points", store_key="octoplus_points", **kwargs
        )

    def _encode(self, data: Points) -> dict[str, Any]:
        return {"balance": data.balance}

    def _decode(self, document: dict[str, Any]) -> Points | None:
        return Points(balance=int(document["balance"]))

    async def _async_poll(self) -> Points:
        return Points(balance=await self.client.get_loyalty_points())

    async def async_redeem(self, points: int) -> None:
        """Turn points into account credit, then retrieve the balance once."""
        redeemable = self.data.redeemable if self.data else 0
        if redeemable < POINTS_PER_POUND:
            raise invalid("octoplus_points_no_points")
        if points % POINTS_PER_POUND:
            raise invalid(
                "octoplus_points_not_multiple", multiple=str(POINTS_PER_POUND)
            )
        if points > redeemable:
            raise invalid("octoplus_points_maximum_points", maximum=str(redeemable))
        try:
            await self.client.redeem_loyalty_points(self.account_number, points)
        except OctopusEnergyError as err:
            raise api_failure("octoplus_points_redeem_failed", err) from err
        await self.async_refresh()
