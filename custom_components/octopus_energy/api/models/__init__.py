"""Typed models of the Octopus Energy API responses.

Parsing is tolerant: missing or malformed fields become None, unknown fields and
unknown enum values are kept as plain strings, and top-level models keep the payload
they came from in `raw` (for diagnostics; redact before showing it).
Money is in pence (GBP minor unit); times are aware datetimes.
"""

from .account import (
    Account,
    Agreement,
    Meter,
    MeterPoint,
    Property,
    SmartDevice,
)
from .heat_pump import (
    HeatPump,
    HeatPumpConfiguration,
    HeatPumpPerformance,
    Quantity,
    SensorConfiguration,
    SensorStatus,
    ZoneConfiguration,
    ZoneStatus,
    parse_controller_euids,
)
from .intelligent import (
    BOOST_REFUSAL_REASONS,
    CatalogueModel,
    ChargeSchedule,
    CompletedDispatch,
    DeviceCatalogue,
    DeviceSettings,
    IntelligentDevice,
    IntelligentDeviceState,
    IntelligentDispatches,
    IntelligentState,
    PlannedDispatch,
)
from .octoplus import (
    GreenerNight,
    JoinedSavingSession,
    SavingSessionEvent,
    SavingSessions,
    TelemetryReading,
    WheelOfFortuneSpins,
    parse_greener_nights,
    parse_telemetry,
)
from .rates import Consumption, Fuel, Product, ProductTariff, Rate, RateRegister

__all__ = [
    "BOOST_REFUSAL_REASONS",
    "Account",
    "Agreement",
    "CatalogueModel",
    "ChargeSchedule",
    "CompletedDispatch",
    "Consumption",
    "DeviceCatalogue",
    "DeviceSettings",
    "Fuel",
    "GreenerNight",
    "HeatPump",
    "HeatPumpConfiguration",
    "HeatPumpPerformance",
    "IntelligentDevice",
    "IntelligentDeviceState",
    "IntelligentDispatches",
    "IntelligentState",
    "JoinedSavingSession",
    "Meter",
    "MeterPoint",
    "PlannedDispatch",
    "Product",
    "ProductTariff",
    "Property",
    "Quantity",
    "Rate",
    "RateRegister",
    "SavingSessionEvent",
    "SavingSessions",
    "SensorConfiguration",
    "SensorStatus",
    "SmartDevice",
    "TelemetryReading",
    "WheelOfFortuneSpins",
    "ZoneConfiguration",
    "ZoneStatus",
    "parse_controller_euids",
    "parse_greener_nights",
    "parse_telemetry",
]
