"""The features of an Octopus Energy account entry: the registry, in setup order.

Adding a feature: a folder `features/<name>/` whose `__init__.py` defines a
`Feature` subclass (coordinators, entity descriptions, actions), and one line here.
Platforms, actions and diagnostics pick it up from this tuple.
"""

from __future__ import annotations

from homeassistant.const import Platform

from ..entry_kinds import EntryKind
from ..feature import EntityService, Feature
from .account import AccountFeature
from .consumption import ConsumptionFeature
from .cost_tracker import COST_TRACKER
from .greenness import GreennessFeature
from .heat_pump import HeatPumpFeature
from .home_mini import HomeMiniFeature
from .intelligent import IntelligentFeature
from .octoplus import OctoplusFeature
from .rates import RatesFeature
from .tariff_comparison import TARIFF_COMPARISON
from .wheel_of_fortune import WheelOfFortuneFeature

FEATURES: tuple[type[Feature], ...] = (
    AccountFeature,
    IntelligentFeature,  # before the rates, which follow its dispatches
    RatesFeature,
    ConsumptionFeature,
    HomeMiniFeature,
    OctoplusFeature,
    WheelOfFortuneFeature,
    GreennessFeature,
    HeatPumpFeature,
)


ENTRY_KINDS: dict[str, EntryKind] = {
    kind.kind: kind
    for kind in (
        COST_TRACKER,
        TARIFF_COMPARISON,
    )
}
"""Entries tied to an account (cost trackers, tariff comparisons; `entry_kinds.py`)."""


def platforms() -> list[Platform]:
    """Every platform a feature adds entities to (sorted, for forwarding)."""
    return sorted({p for feature in FEATURES for p in feature.platforms})


def entity_services() -> list[EntityService]:
    """Every feature's and every entry kind's entity actions."""
    return [
        *(service for feature in FEATURES for service in feature.services),
        *(service for kind in ENTRY_KINDS.values() for service in kind.services),
    ]
