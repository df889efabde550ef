"""Which providers (device integrations behind Octopus) can be controlled.

The community integration's list: 21 providers with planned dispatches and every
control, and their `<name>_V<n>` variants. OHME has no planned dispatches, so its
devices get the read-only entities only; an unknown provider gets them too, plus
the `unknown_intelligent_provider` repair so it can be added.
"""

from __future__ import annotations

import re
from typing import Final

CONTROLLABLE: Final = frozenset(
    {
        "DAIKIN",
        "ECOBEE",
        "ENERGIZER",
        "ENPHASE",
        "ENODE",
        "FORD",
        "GIVENERGY",
        "HUAWEI",
        "JEDLIX",
        "JEDLIX-V2",
        "MYENERGI",
        "OCPP_WALLBOX",
        "SENSI",
        "SMARTCAR",
        "TESLA",
        "SMART_PEAR",
        "HYPERVOLT",
        "INDRA",
        "OCPP",
        "OCTOPUS_ENERGY",
        "VOLKSWAGEN",
    }
)
READ_ONLY: Final = frozenset({"OHME"})
_VERSION: Final = re.compile(r"_V\d+$")


def _base(provider: str | None) -> str:
    return _VERSION.sub("", (provider or "").upper())


def controllable(provider: str | None) -> bool:
    """Whether Octopus can control the provider's devices from here."""
    return _base(provider) in CONTROLLABLE


def known(provider: str | None) -> bool:
    """Whether the provider is known (controllable or deliberately read-only)."""
    return controllable(provider) or _base(provider) in READ_ONLY
