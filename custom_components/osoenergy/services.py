"""Placeholder: the actions of the OSO Energy integration (being written)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register nothing yet."""
