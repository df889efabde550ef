"""Repairs of the OSO Energy integration: remove a heater missing for a long time."""

from __future__ import annotations

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .compat import RepairsFlowResult
from .const import DOMAIN


class RemoveMissingHeaterFlow(ConfirmRepairFlow):
    """Ask, then remove the heater's device (and with it its entities)."""

    def __init__(self, entry_id: str, device_entry_id: str) -> None:
        """Remember which device of which entry to remove."""
        super().__init__()
        self._entry_id = entry_id
        self._device_entry_id = device_entry_id

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Remove the device once the user confirmed."""
        if user_input is not None:
            entry = self.hass.config_entries.async_get_entry(self._entry_id)
            registry = dr.async_get(self.hass)
            device = registry.async_get(self._device_entry_id)
            if entry is not None and device is not None:
                if entry.state is ConfigEntryState.LOADED:
                    for domain, device_id in device.identifiers:
                        if domain == DOMAIN:
                            entry.runtime_data.async_forget_device(device_id)
                registry.async_update_device(
                    device.id, remove_config_entry_id=entry.entry_id
                )
        return await super().async_step_confirm(user_input)


async def async_create_fix_flow(
    hass: HomeAssistant,  # noqa: ARG001
    issue_id: str,  # noqa: ARG001
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Create the flow that fixes a `heater_missing` issue."""
    data = data or {}
    return RemoveMissingHeaterFlow(
        str(data.get("entry_id", "")), str(data.get("device_entry_id", ""))
    )
