"""The features of an Octopus Energy account entry: the registry, in setup order.

Adding a feature: a folder `features/<name>/` whose `__init__.py` defines a
`Feature` subclass (coordinators, entity descriptions, actions), and one line here.
Platforms, actions and diagnostics pick it up from this tuple.
"""

from __future__ import annotations

from homeassistant.const import Platform

from ..feature import EntityService, Feature
from .account import AccountFeature
from .consumption import ConsumptionFeature
from .home_mini import HomeMiniFeature
from .intelligent import IntelligentFeature
from .rates import RatesFeature

FEATURES: tuple[type[Feature], ...] = (
    AccountFeature,
    IntelligentFeature,  # before the rates, which follow its dispatches
    RatesFeature,
    ConsumptionFeature,
    HomeMiniFeature,
)


def platforms() -> list[Platform]:
    """Every platform a feature adds entities to (sorted, for forwarding)."""
    return sorted({p for feature in FEATURES for p in feature.platforms})


def entity_services() -> list[EntityService]:
    """Every feature's entity actions."""
    return [service for feature in FEATURES for service in feature.services]
