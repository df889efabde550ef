"""Base entities of the Octopus Energy integration.

Unique ids and entity ids follow the community integration exactly (see the
compatibility contract in the README): the unique id is an explicit string built
from the account number / meter serial / MPAN or MPRN as the API spells them, and a
newly registered entity gets the entity id `<platform>.<slugified unique id>`, so
users' automations keep working. Names come from translations (`has_entity_name`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
import hashlib
import json
from typing import Any

from homeassistant.components.event import EventEntity, EventExtraStoredData
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import (
    CoordinatorEntity,
    DataUpdateCoordinator,
)
from homeassistant.util import slugify

from .api import Fuel
from .const import DOMAIN
from .models import ActiveMeter


def entity_id_for(platform: str, unique_id: str) -> str:
    """The community integration's entity id for a unique id."""
    return f"{platform}.{slugify(unique_id)}"


def meter_device_info(meter: ActiveMeter) -> DeviceInfo:
    """The device of a meter, with the community integration's identifier and name."""
    name = "Electricity Meter" if meter.fuel is Fuel.ELECTRICITY else "Gas Meter"
    return DeviceInfo(
        identifiers={(DOMAIN, meter.device_identifier)},
        name=f"{name} Export" if meter.is_export else name,
        manufacturer=meter.manufacturer,
        model=meter.model,
        sw_version=meter.firmware_version,
        serial_number=meter.serial_number,
    )


def account_service_device_info(identifier: str, name: str) -> DeviceInfo:
    """A service device of the account (e.g. `octoplus-{ACC}`, "Octoplus ({ACC})")."""
    return DeviceInfo(
        identifiers={(DOMAIN, identifier)},
        name=name,
        manufacturer="Octopus Energy",
        entry_type=DeviceEntryType.SERVICE,
    )


class OctopusEnergyEntity[CoordinatorT: DataUpdateCoordinator[Any]](
    CoordinatorEntity[CoordinatorT]
):
    """An entity with an explicit (community-compatible) unique id."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: CoordinatorT,
        *,
        platform: str,
        unique_id: str,
        device_info: DeviceInfo,
    ) -> None:
        """Set the unique id, the entity id to register it with, and the device."""
        super().__init__(coordinator)
        self._attr_unique_id = unique_id
        self.entity_id = entity_id_for(platform, unique_id)
        self._attr_device_info = device_info


class OctopusEnergyMeterEntity[CoordinatorT: DataUpdateCoordinator[Any]](
    OctopusEnergyEntity[CoordinatorT]
):
    """An entity of one meter: unique id `octopus_energy_{fuel}_{SN}_{MPXN}{suffix}`.

    `suffix` includes `_export` where the community entity has it (most do; pass
    `meter.export_part` yourself, since a few entities never carry it).
    """

    def __init__(
        self,
        coordinator: CoordinatorT,
        meter: ActiveMeter,
        *,
        platform: str,
        suffix: str,
    ) -> None:
        """Attach the entity to its meter's device."""
        super().__init__(
            coordinator,
            platform=platform,
            unique_id=f"{meter.unique_id_prefix}{suffix}",
            device_info=meter_device_info(meter),
        )
        self.meter = meter


@dataclass
class ShownEventData(EventExtraStoredData):
    """The restored event plus the digest of the payload it showed."""

    digest: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The event's restore data with the digest."""
        return asdict(self)


class CoordinatorEventEntity(EventEntity):
    """An event entity fed by its coordinator, not by the bus events it fires.

    `_current_payload()` gives the coordinator's latest payload and its digest. The
    entity triggers when the digest changes. The digest of what it shows is kept
    with its restore data, so after a reload or restart it keeps its restored last
    event when the payload is the same, and triggers once when the data changed
    meanwhile (e.g. tomorrow's prices were published while Home Assistant was
    off). An entity that never had an event shows the current payload when it is
    added. Put it first in the bases, before the coordinator entity.
    """

    _shown: str | None = None

    def _current_payload(self) -> tuple[str, dict[str, Any]] | None:
        """(digest, payload) of the latest event data, or None."""
        raise NotImplementedError

    def _event_type_for(self, payload: dict[str, Any]) -> str:  # noqa: ARG002
        return str(self.event_types[0])

    @property
    def extra_restore_state_data(self) -> ShownEventData:
        """The event's restore data and the digest of the payload shown."""
        event = super().extra_restore_state_data
        return ShownEventData(
            event.last_event_type, event.last_event_attributes, self._shown
        )

    async def async_added_to_hass(self) -> None:
        """Show the current payload unless the restored event already shows it."""
        await super().async_added_to_hass()
        current = self._current_payload()
        last_state = await self.async_get_last_state()
        extra = await self.async_get_last_extra_data()
        restored = extra.as_dict().get("digest") if extra else None
        # Restored without a digest (older versions): take it as showing the data.
        self._shown = restored or (current[0] if current and last_state else None)
        if current is not None and current[0] != self._shown:
            self._shown = current[0]
            self._trigger_event(self._event_type_for(current[1]), current[1])
            self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        current = self._current_payload()
        if current is not None and current[0] != self._shown:
            self._shown = current[0]
            self._trigger_event(self._event_type_for(current[1]), current[1])
        super()._handle_coordinator_update()  # type: ignore[misc]


def payload_digest(payload: dict[str, Any]) -> str:
    """A short, stable digest of an event payload."""
    text = json.dumps(payload, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
