"""Build the API client of an entry (or of the config flow) and hand it over."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import os
from typing import Any

from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey

from .api import (
    DEFAULT_BACKEND_URL,
    DEFAULT_BASE_URL,
    Account,
    KeyRefusals,
    OctopusEnergyClient,
)
from .const import (
    CONF_BACKEND_URL,
    CONF_BASE_URL,
    DOMAIN,
    ENV_BACKEND_URL,
    ENV_BASE_URL,
)


def dev_urls() -> dict[str, str]:
    """Development only: the simulator hosts from the environment, if set."""
    urls = {CONF_BASE_URL: os.environ.get(ENV_BASE_URL)}
    urls[CONF_BACKEND_URL] = os.environ.get(ENV_BACKEND_URL)
    return {key: value for key, value in urls.items() if value}


def create_client(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    key_refusals: KeyRefusals | None = None,
) -> OctopusEnergyClient:
    """A client with HA's shared session.

    Hosts: the entry's development hosts, else the environment's, else Octopus.
    `key_refusals`: the entry's count of refused token requests (`entry_key_refusals`).
    """
    env = dev_urls()
    return OctopusEnergyClient(
        key_refusals=key_refusals or KeyRefusals(),
        api_key=str(data[CONF_API_KEY]).strip(),
        session=async_get_clientsession(hass),
        base_url=str(
            data.get(CONF_BASE_URL) or env.get(CONF_BASE_URL) or DEFAULT_BASE_URL
        ),
        backend_url=str(
            data.get(CONF_BACKEND_URL)
            or env.get(CONF_BACKEND_URL)
            or DEFAULT_BACKEND_URL
        ),
    )


@dataclass(frozen=True, kw_only=True)
class FlowHandoff:
    """The client and account the config flow validated, for the entry's setup."""

    client: OctopusEnergyClient
    account: Account


FLOW_HANDOFF: HassKey[dict[str, FlowHandoff]] = HassKey(f"{DOMAIN}_flow_handoff")
KEY_REFUSALS: HassKey[dict[str, KeyRefusals]] = HassKey(f"{DOMAIN}_key_refusals")


@callback
def entry_key_refusals(hass: HomeAssistant, entry_id: str) -> KeyRefusals:
    """The entry's refused token requests, kept across its setups (retries, reloads).

    So a key refused for hours starts reauth even while the setup keeps retrying.
    """
    return hass.data.setdefault(KEY_REFUSALS, {}).setdefault(entry_id, KeyRefusals())


@callback
def async_hand_over(
    hass: HomeAssistant,
    account_number: str,
    client: OctopusEnergyClient,
    account: Account,
) -> None:
    """Keep what the flow validated, so the first setup requests neither again."""
    hass.data.setdefault(FLOW_HANDOFF, {})[account_number] = FlowHandoff(
        client=client, account=account
    )


@callback
def async_take_flow_handoff(
    hass: HomeAssistant, account_number: str
) -> FlowHandoff | None:
    """What the flow handed over for this account (taken once), if anything."""
    return hass.data.get(FLOW_HANDOFF, {}).pop(account_number, None)
