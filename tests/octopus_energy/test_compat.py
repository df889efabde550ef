"""The helpers that bridge Home Assistant 2025.4 and 2026.10."""

from __future__ import annotations

from unittest.mock import Mock

from homeassistant.components.recorder.models import StatisticMetaData
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.helpers import service
from homeassistant.helpers.entity_platform import DATA_DOMAIN_PLATFORM_ENTITIES
import pytest

from custom_components.octopus_energy import compat

NEW_HELPER = "async_register_platform_entity_service"


async def test_uses_the_new_helper_when_present(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where Home Assistant has the helper, it gets the same arguments."""
    helper = Mock()
    monkeypatch.setattr(service, NEW_HELPER, helper, raising=False)
    compat.async_register_platform_entity_service(
        hass, "octopus_energy", "x", entity_domain=Platform.SENSOR, func="f", schema={}
    )
    helper.assert_called_once_with(
        hass,
        "octopus_energy",
        "x",
        entity_domain=Platform.SENSOR,
        func="f",
        schema={},
        supports_response=SupportsResponse.NONE,
    )


async def test_fallback_registers_on_the_platform_map(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before 2025.10 the service is registered on the platform's entity map."""
    monkeypatch.delattr(service, NEW_HELPER, raising=False)
    compat.async_register_platform_entity_service(
        hass, "octopus_energy", "x", entity_domain=Platform.SENSOR, func="f", schema={}
    )
    assert hass.services.has_service("octopus_energy", "x")
    assert (Platform.SENSOR, "octopus_energy") in hass.data[
        DATA_DOMAIN_PLATFORM_ENTITIES
    ]


@pytest.mark.parametrize("knows_unit_class", [True, False])
def test_statistic_metadata(
    monkeypatch: pytest.MonkeyPatch, knows_unit_class: bool
) -> None:
    """`unit_class` is passed only to recorders that know it (2025.11+)."""
    annotations = dict(StatisticMetaData.__annotations__)
    if knows_unit_class:
        annotations["unit_class"] = "str | None"
    else:
        annotations.pop("unit_class", None)
    monkeypatch.setattr(StatisticMetaData, "__annotations__", annotations)
    metadata = compat.statistic_metadata(
        source="octopus_energy",
        statistic_id="octopus_energy:x",
        name="X",
        unit="kWh",
        unit_class="energy",
    )
    assert metadata["has_sum"] is True
    assert ("unit_class" in metadata) is knows_unit_class


def test_attach_to_device_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    """HA 2026 gets the device entry itself, HA 2025.4 the linking device info."""
    from homeassistant.helpers.entity import Entity  # noqa: PLC0415

    device = Mock()
    info = Mock()
    entity = Entity()
    monkeypatch.setattr(compat, "PRESET_DEVICE_ENTRY", True)
    compat.attach_to_device(entity, device, info)
    assert entity.device_entry is device
    assert entity.device_info is None
    monkeypatch.setattr(compat, "PRESET_DEVICE_ENTRY", False)
    compat.attach_to_device(entity, device, info)
    assert entity.device_info is info
    assert compat.device_link_info(None) is None


async def test_device_helpers_of_newer_versions(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per-entry identifier lookup and the no-op stale-link cleanup of HA 2026."""
    from homeassistant.helpers import device_registry as dr  # noqa: PLC0415

    registry = dr.async_get(hass)
    lookup = Mock(return_value="device")
    monkeypatch.setattr(
        registry, "async_get_device_by_identifier", lookup, raising=False
    )
    assert compat.device_by_identifier(hass, ("d", "x"), "entry") == "device"
    lookup.assert_called_once_with(("d", "x"), "entry")
    monkeypatch.setattr(compat, "PRESET_DEVICE_ENTRY", True)
    cleanup = Mock()
    monkeypatch.setattr(
        compat.device_helpers,
        "async_remove_stale_devices_links_keep_entity_device",
        cleanup,
    )
    compat.remove_stale_device_links(hass, "entry", "sensor.x")
    cleanup.assert_not_called()
