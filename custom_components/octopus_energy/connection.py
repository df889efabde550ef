"""Build the API client of an entry (or of the config flow)."""

from __future__ import annotations

from collections.abc import Mapping
import os
from typing import Any

from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import DEFAULT_BACKEND_URL, DEFAULT_BASE_URL, OctopusEnergyClient
from .const import CONF_BACKEND_URL, CONF_BASE_URL, ENV_BACKEND_URL, ENV_BASE_URL


def dev_urls() -> dict[str, str]:
    """Development only: the simulator hosts from the environment, if set."""
    urls = {CONF_BASE_URL: os.environ.get(ENV_BASE_URL)}
    urls[CONF_BACKEND_URL] = os.environ.get(ENV_BACKEND_URL)
    return {key: value for key, value in urls.items() if value}


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> OctopusEnergyClient:
    """A client with HA's shared session.

    Hosts: the entry's development hosts, else the environment's, else Octopus.
    """
    env = dev_urls()
    return OctopusEnergyClient(
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
