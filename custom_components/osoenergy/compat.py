"""Small helpers for APIs that differ between the Home Assistant versions we support.

Supported: 2025.4 (the minimum) to 2026.10 (the newest tested).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from homeassistant.const import ATTR_ENTITY_ID, ENTITY_MATCH_ALL, ENTITY_MATCH_NONE
from homeassistant.core import (
    HassJobType,
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import service
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import DATA_DOMAIN_PLATFORM_ENTITIES
import voluptuous as vol

try:  # HA 2025.12 and later
    from homeassistant.components.repairs import (  # type: ignore[attr-defined,unused-ignore]
        RepairsFlowResult,
    )
except ImportError:  # HA 2025.4
    from homeassistant.data_entry_flow import (  # type: ignore[assignment,unused-ignore]
        FlowResult as RepairsFlowResult,
    )

__all__ = [
    "RepairsFlowResult",
    "async_register_platform_entity_service",
    "form_schema",
]


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
    func: str,
    schema: dict[Any, Any],
    supports_response: SupportsResponse = SupportsResponse.NONE,
) -> None:
    """Register an entity service for this integration's entities of one platform.

    HA 2025.10 added `service.async_register_platform_entity_service`, which lets an
    integration register its entity services once in `async_setup`. Older versions
    get the same behaviour from the per-platform entity map that helper reads.

    Either way the registered handler is then wrapped by `_check_targets`.
    """
    entities: dict[str, Entity] = hass.data.setdefault(
        DATA_DOMAIN_PLATFORM_ENTITIES, {}
    ).setdefault((entity_domain, service_domain), {})
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
        _check_targets(hass, service_domain, service_name, entities)
        return
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
    _check_targets(hass, service_domain, service_name, entities)


def _referenced_entity_ids(hass: HomeAssistant, call: ServiceCall) -> set[str]:
    """Every entity id a call targets, directly or through devices, areas, labels.

    HA 2025.10 moved the extraction to `helpers.target`, with another signature.
    """
    try:
        from homeassistant.helpers import (  # type: ignore[attr-defined,unused-ignore]  # noqa: PLC0415
            target,
        )
    except ImportError:
        selected = service.async_extract_referenced_entity_ids(  # type: ignore[attr-defined,unused-ignore]
            hass, call
        )
    else:  # pragma: no cover - HA 2025.10 and later only
        selected = target.async_extract_referenced_entity_ids(
            hass, target.TargetSelection(call.data)
        )
    return set(selected.referenced) | set(selected.indirectly_referenced)


def _named_entity_ids(call: ServiceCall) -> set[str]:
    """The entity ids a call names itself (not through devices or areas)."""
    value = call.data.get(ATTR_ENTITY_ID)
    if value in (None, ENTITY_MATCH_ALL, ENTITY_MATCH_NONE):
        return set()
    return {value} if isinstance(value, str) else set(value)


def _check_targets(
    hass: HomeAssistant,
    service_domain: str,
    service_name: str,
    entities: dict[str, Entity],
) -> None:
    """Make the registered action refuse targets that are not ours.

    HA's entity services silently do nothing for an entity of another integration
    or one that does not exist. This action instead raises a translated
    ServiceValidationError (`entity_not_supported`) naming the accepted entities
    when it names such an entity, or when its target holds none of ours.
    """
    registered = hass.services.async_services_internal().get(service_domain, {})
    action = registered.get(service_name)
    if action is None:
        return
    original = cast(
        "Callable[[ServiceCall], Awaitable[ServiceResponse]]", action.job.target
    )

    async def _handle(call: ServiceCall) -> ServiceResponse:
        unknown = _named_entity_ids(call) - entities.keys()
        everything = call.data.get(ATTR_ENTITY_ID) == ENTITY_MATCH_ALL
        targeted = everything or bool(
            _referenced_entity_ids(hass, call) & entities.keys()
        )
        if unknown or not targeted:
            raise ServiceValidationError(
                translation_domain=service_domain,
                translation_key="entity_not_supported",
                translation_placeholders={
                    "entity_id": ", ".join(sorted(unknown)) or "-",
                    "entities": ", ".join(sorted(entities)) or "-",
                },
            )
        return await original(call)

    hass.services.async_register(
        service_domain,
        service_name,
        _handle,
        action.schema,
        action.supports_response,
    )
