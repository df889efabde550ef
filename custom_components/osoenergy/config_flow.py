"""Placeholder: the config flow of the OSO Energy integration (being written)."""

from __future__ import annotations

from homeassistant.config_entries import ConfigFlow

from .const import DOMAIN


class OSOEnergyConfigFlow(ConfigFlow, domain=DOMAIN):
    """Being written."""

    VERSION = 1
