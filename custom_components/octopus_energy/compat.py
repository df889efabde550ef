"""Small helpers for APIs that differ between the Home Assistant versions we support.

Supported: 2025.4 (the minimum) to 2026.10 (the newest tested).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from homeassistant.components.recorder.models import (
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.core import HassJobType, HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.helpers import (
    device as device_helpers,
    device_registry as dr,
    service,
)
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import DATA_DOMAIN_PLATFORM_ENTITIES
import voluptuous as vol


def form_schema(fields: dict[Any, Any]) -> Any:
    """Build a config-flow form schema.

    HA 2026 validates with probatio and aliases `voluptuous` to it at run time, but
    type checkers still see the real voluptuous package, whose `Schema` is not the
    type HA 2026 annotates; the result is therefore typed `Any`.
    """
    return vol.Schema(fields)


def async_register_platform_entity_service(
    hass: HomeAssistant,
    service_domain: str,
    service_name: str,
    *,
    entity_domain: str,
    func: str | Callable[..., Any],
    schema: dict[Any, Any],
    supports_response: SupportsResponse = SupportsResponse.NONE,
) -> None:
    """Register an entity service for this integration's entities of one platform.

    HA 2025.10 added `service.async_register_platform_entity_service`, which lets an
    integration register its entity services once in `async_setup`. Older versions
    get the same behaviour from the per-platform entity map that helper reads.
    """
    if hasattr(service, "async_register_platform_entity_service"):
        service.async_register_platform_entity_service(
            hass,
            service_domain,
            service_name,
            entity_domain=entity_domain,
            func=func,
            schema=schema,
            supports_response=supports_response,
        )
        return
    entities = hass.data.setdefault(DATA_DOMAIN_PLATFORM_ENTITIES, {}).setdefault(
        (entity_domain, service_domain), {}
    )
    service.async_register_entity_service(
        hass,
        service_domain,
        service_name,
        entities=entities,
        func=func,
        job_type=HassJobType.Coroutinefunction,
        schema=schema,
        supports_response=supports_response,
    )


def statistic_metadata(
    *,
    source: str,
    statistic_id: str,
    name: str,
    unit: str,
    unit_class: str | None,
) -> StatisticMetaData:
    """Metadata of a sum statistic (no mean).

    HA 2025.11 added `unit_class` (required from 2026.11); 2025.4's recorder refuses
    unknown keys, so it is only passed where the recorder knows it.
    """
    metadata: dict[str, Any] = {
        "has_sum": True,
        "mean_type": StatisticMeanType.NONE,
        "name": name,
        "source": source,
        "statistic_id": statistic_id,
        "unit_of_measurement": unit,
    }
    if "unit_class" in StatisticMetaData.__annotations__:
        metadata["unit_class"] = unit_class
    return cast("StatisticMetaData", metadata)


def referenced_entity_ids(
    hass: HomeAssistant, call: ServiceCall
) -> tuple[set[str], set[str]]:
    """The entity ids a call targets: (explicitly named, through devices or areas).

    HA 2026 takes a `TargetSelection` (helpers/target.py); HA 2025.4 the call.
    """
    try:
        from homeassistant.helpers import (  # type: ignore[attr-defined,unused-ignore]  # noqa: PLC0415
            target,
        )
    except ImportError:  # HA 2025.4
        selected = service.async_extract_referenced_entity_ids(  # type: ignore[attr-defined,unused-ignore]
            hass, call
        )
    else:
        selected = target.async_extract_referenced_entity_ids(
            hass,
            target.TargetSelection(call.data),
        )
    return set(selected.referenced), set(selected.indirectly_referenced)


PRESET_DEVICE_ENTRY = hasattr(device_helpers, "async_entity_id_to_device")
"""HA 2026: a device belongs to one config entry; an entity of another entry is
shown on it by setting `Entity.device_entry` (HA 2025.4 links the entry to the
device through a `device_info` carrying the device's identifiers instead)."""


def attach_to_device(
    entity: Entity, device: dr.DeviceEntry | None, fallback: DeviceInfo | None
) -> None:
    """Show an entity on a device that another config entry owns."""
    if PRESET_DEVICE_ENTRY:
        entity.device_entry = device
        entity._attr_device_info = None  # noqa: SLF001
    else:
        entity._attr_device_info = fallback  # noqa: SLF001


def device_of_entity(hass: HomeAssistant, entity_id: str) -> dr.DeviceEntry | None:
    """The device of an entity (of any integration), if it has one."""
    device_id = device_helpers.async_entity_id_to_device_id(hass, entity_id)
    if not device_id:
        return None
    device = dr.async_get(hass).async_get(device_id)
    return device if isinstance(device, dr.DeviceEntry) else None


def device_link_info(device: dr.DeviceEntry | None) -> DeviceInfo | None:
    """HA 2025.4: the `device_info` that puts an entity on an existing device."""
    if device is None:
        return None
    return DeviceInfo(identifiers=device.identifiers, connections=device.connections)


def device_by_identifier(
    hass: HomeAssistant, identifier: tuple[str, str], config_entry_id: str
) -> dr.DeviceEntry | None:
    """A device of a config entry by one identifier (HA 2026 is per entry)."""
    registry = dr.async_get(hass)
    if hasattr(registry, "async_get_device_by_identifier"):
        found: dr.DeviceEntry | None = registry.async_get_device_by_identifier(
            identifier, config_entry_id
        )
        return found
    return registry.async_get_device(identifiers={identifier})


def remove_stale_device_links(
    hass: HomeAssistant, entry_id: str, entity_id: str
) -> None:
    """HA 2025.4: unlink the entry from devices other than the entity's.

    HA 2026 never links a helper's entry to another device (the helper is
    deprecated there), so nothing is to be done.
    """
    if not PRESET_DEVICE_ENTRY:
        device_helpers.async_remove_stale_devices_links_keep_entity_device(
            hass, entry_id, entity_id
        )
