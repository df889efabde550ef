"""The actions of the Octopus Energy integration, registered once in `async_setup`.

Every feature lists its entity actions (`Feature.services`, an `EntityService`
each); this module registers them all. A call resolves its targets itself: every
explicitly targeted entity must be one of this integration's entities of the
action's platform and of an accepted type, otherwise the call raises a translated
`ServiceValidationError` naming the entities that accept it (HA's own entity
services would skip such a target silently). The entity's method receives the
validated fields as keyword arguments; with `supports_response` the answers are
returned per entity id.

Domain-wide actions (no target) are registered by their feature's own
`async_setup_services` function, listed in `DOMAIN_SERVICES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import DATA_DOMAIN_PLATFORM_ENTITIES

from .compat import referenced_entity_ids
from .const import DOMAIN
from .feature import EntityService
from .features import entity_services
from .features.consumption.services import async_setup_domain_services

DOMAIN_SERVICES: tuple[Callable[[HomeAssistant], None], ...] = (
    async_setup_domain_services,
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action (once, from `async_setup`)."""
    for service in entity_services():
        _register(hass, service)
    for setup in DOMAIN_SERVICES:
        setup(hass)


def _accepted(service: EntityService, entity: Entity) -> bool:
    return isinstance(entity, service.entity_types) and service.accepts(entity)


def resolve_targets(
    hass: HomeAssistant, service: EntityService, call: ServiceCall
) -> list[Entity]:
    """The targeted entities; a target that is not ours raises (translated)."""
    ours = hass.data.get(DATA_DOMAIN_PLATFORM_ENTITIES, {}).get(
        (str(service.platform), DOMAIN), {}
    )
    explicit, indirect = referenced_entity_ids(hass, call)
    accepted = sorted(eid for eid, e in ours.items() if _accepted(service, e))
    for entity_id in sorted(explicit):
        entity = ours.get(entity_id)
        if entity is None or not _accepted(service, entity):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entity_not_supported",
                translation_placeholders={
                    "entity_id": entity_id,
                    "action": f"{DOMAIN}.{service.name}",
                    "accepted": ", ".join(accepted) or "-",
                },
            )
    targets = [
        ours[eid]
        for eid in sorted(explicit | indirect)
        if eid in ours and _accepted(service, ours[eid])
    ]
    if not targets:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="no_supported_target",
            translation_placeholders={
                "action": f"{DOMAIN}.{service.name}",
                "accepted": ", ".join(accepted) or "-",
            },
        )
    return targets


def _register(hass: HomeAssistant, service: EntityService) -> None:
    fields = set(service.schema)

    async def handle(call: ServiceCall) -> ServiceResponse:
        targets = resolve_targets(hass, service, call)
        kwargs = {
            str(key): value
            for key, value in call.data.items()
            if key in {str(field) for field in fields}
        }
        answers: dict[str, Any] = {}
        for entity in targets:
            answer = await getattr(entity, service.method)(**kwargs)
            if answer is not None:
                answers[str(entity.entity_id)] = answer
        if service.supports_response is SupportsResponse.NONE:
            return None
        return answers

    hass.services.async_register(
        DOMAIN,
        service.name,
        handle,
        schema=cv.make_entity_service_schema(dict(service.schema)),
        supports_response=service.supports_response,
    )


__all__ = ["ATTR_ENTITY_ID", "async_setup_services", "resolve_targets"]
