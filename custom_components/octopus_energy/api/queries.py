"""GraphQL documents, one constant per operation; every value is a variable.

Field and argument names follow the reference (octopus-energy.md A.4) and the
established integration's query texts. Variable types not given by the reference
were taken from public clients of the same API:

- `ObtainJSONWebTokenInput!`, `SmartFlexDevicePreferencesInput!`,
  `UpdateBoostChargeInput!`, `SmartControlInput!`, `JoinSavingSessionsEventInput!`,
  `WheelOfFortuneSpinInput!`: public clients; `SetZoneModeParameters!`,
  `FlowTemperatureInput!`, `euid: ID!`, `propertyId: ID!`: backend introspection
  dump (April 2026).
- **Unconfirmed:** the input type of `redeemLoyaltyPointsForAccountCredit`, so the
  input object is written inline with typed variables (`String!`, `Int!`).
- `grouping: HALF_HOURLY` and the `fuelType` of the spins query are enum literals
  of the document, not user values.
"""

from __future__ import annotations

from typing import Final

AUTHENTICATE: Final = """
mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) { token refreshToken refreshExpiresIn }
}
"""

_SMART_DEVICE: Final = "deviceId manufacturer model firmwareVersion"

ACCOUNT: Final = f"""
query Account($accountNumber: String!) {{
  octoplusAccountInfo(accountNumber: $accountNumber) {{
    isOctoplusEnrolled
  }}
  properties(accountNumber: $accountNumber) {{
    id
    occupancyPeriods {{
      effectiveTo
    }}
  }}
  account(accountNumber: $accountNumber) {{
    electricityAgreements(active: true) {{
      meterPoint {{
        mpan
        direction
        meters(includeInactive: false) {{
          activeFrom
          activeTo
          serialNumber
          makeAndType
          meterType
          smartImportElectricityMeter {{ {_SMART_DEVICE} }}
          smartExportElectricityMeter {{ {_SMART_DEVICE} }}
        }}
        agreements(includeInactive: true) {{
          validFrom
          validTo
          tariff {{
            ... on TariffType {{
              productCode
              tariffCode
            }}
          }}
        }}
      }}
    }}
    gasAgreements(active: true) {{
      meterPoint {{
        mprn
        meters(includeInactive: false) {{
          activeFrom
          activeTo
          serialNumber
          consumptionUnits
          modelName
          mechanism
          smartGasMeter {{ {_SMART_DEVICE} }}
        }}
        agreements(includeInactive: true) {{
          validFrom
          validTo
          tariff {{
            productCode
            tariffCode
          }}
        }}
      }}
    }}
  }}
}}
"""

TELEMETRY_FIELDS: Final = "readAt consumption consumptionDelta demand export"


def telemetry_query(device_count: int) -> str:
    """Build a telemetry query for several Home Mini devices (aliases `d0`, `d1`…).

    Device ids are variables `$deviceId0`, `$deviceId1`…; only the count shapes
    the document.
    """
    declarations = "".join(
        f"$deviceId{index}: String!, " for index in range(device_count)
    )
    fields = "\n".join(
        f"  d{index}: smartMeterTelemetry(deviceId: $deviceId{index}, "
        f"grouping: HALF_HOURLY, start: $start, end: $end) {{ {TELEMETRY_FIELDS} }}"
        for index in range(device_count)
    )
    return (
        f"query SmartMeterTelemetry({declarations}$start: DateTime!, $end: DateTime!) "
        f"{{\n{fields}\n}}\n"
    )


INTELLIGENT_DEVICES: Final = """
query IntelligentDevices($accountNumber: String!) {
  devices(accountNumber: $accountNumber) {
    id
    provider
    deviceType
    status { current }
    __typename
    ... on SmartFlexVehicle { make model }
    ... on SmartFlexChargePoint { make model }
  }
}
"""

DEVICE_CATALOGUE: Final = """
query DeviceCatalogue {
  electricVehicles {
    make
    models { model batterySize }
  }
  chargePointVariants {
    make
    models { model powerInKw }
  }
}
"""

INTELLIGENT_DISPATCHES: Final = """
query IntelligentDispatches($accountNumber: String!, $deviceId: String!) {
  devices(accountNumber: $accountNumber, deviceId: $deviceId) {
    id
    status { currentState }
  }
  flexPlannedDispatches(deviceId: $deviceId) { start end type energyAddedKwh }
  completedDispatches(accountNumber: $accountNumber) {
    start
    end
    delta
    meta { source location }
  }
}
"""

DEVICE_SETTINGS: Final = """
query DeviceSettings($accountNumber: String!, $deviceId: String!) {
  devices(accountNumber: $accountNumber, deviceId: $deviceId) {
    id
    status { isSuspended }
    preferences {
      targetType
      unit
      mode
      schedules { dayOfWeek time min max upperLimit }
    }
  }
}
"""

INTELLIGENT_STATE_DEVICE_FIELDS: Final = """
    id
    provider
    deviceType
    __typename
    ... on SmartFlexVehicle { make model }
    ... on SmartFlexChargePoint { make model }
    status { current currentState isSuspended }
    preferences {
      targetType
      unit
      mode
      schedules { dayOfWeek time min max upperLimit }
    }"""
DISPATCH_FIELDS: Final = "start end type energyAddedKwh"


def intelligent_state_query(device_count: int) -> str:
    """Build the one request of the intelligent feature's poll.

    Every device of the account with its state and preferences, the account's
    completed dispatches and, per known device, its planned dispatches (aliases
    `p0`, `p1`… with variables `$deviceId0`, `$deviceId1`…).
    """
    declarations = "".join(
        f", $deviceId{index}: String!" for index in range(device_count)
    )
    planned = "".join(
        f"  p{index}: flexPlannedDispatches(deviceId: $deviceId{index}) "
        f"{{ {DISPATCH_FIELDS} }}\n"
        for index in range(device_count)
    )
    return (
        f"query IntelligentState($accountNumber: String!{declarations}) {{\n"
        "  devices(accountNumber: $accountNumber) {"
        f"{INTELLIGENT_STATE_DEVICE_FIELDS}\n"
        "  }\n"
        f"{planned}"
        "  completedDispatches(accountNumber: $accountNumber) {\n"
        "    start\n    end\n    delta\n    meta { source location }\n  }\n}\n"
    )


SET_DEVICE_PREFERENCES: Final = """
mutation SetDevicePreferences($input: SmartFlexDevicePreferencesInput!) {
  setDevicePreferences(input: $input) { id }
}
"""

UPDATE_BOOST_CHARGE: Final = """
mutation UpdateBoostCharge($input: UpdateBoostChargeInput!) {
  updateBoostCharge(input: $input) { id }
}
"""

UPDATE_SMART_CONTROL: Final = """
mutation UpdateDeviceSmartControl($input: SmartControlInput!) {
  updateDeviceSmartControl(input: $input) { id }
}
"""

LOYALTY_POINTS: Final = """
query LoyaltyPoints {
  loyaltyPointLedgers { balanceCarriedForward }
}
"""

REDEEM_LOYALTY_POINTS: Final = """
mutation RedeemLoyaltyPoints($accountNumber: String!, $points: Int!) {
  redeemLoyaltyPointsForAccountCredit(
    input: {accountNumber: $accountNumber, points: $points}
  ) { pointsRedeemed }
}
"""

SAVING_SESSIONS: Final = """
query SavingSessions($accountNumber: String!) {
  savingSessions {
    events(includeDev: false) {
      id
      code
      rewardPerKwhInOctoPoints
      startAt
      endAt
      devEvent
      targetRegion { regionId }
    }
    account(accountNumber: $accountNumber) {
      signedUpMeterPoint { regionId }
      hasJoinedCampaign
      joinedEvents { eventId startAt endAt rewardGivenInOctoPoints }
    }
  }
}
"""

JOIN_SAVING_SESSION: Final = """
mutation JoinSavingSessionsEvent($input: JoinSavingSessionsEventInput!) {
  joinSavingSessionsEvent(input: $input) { joinedEventCodes }
}
"""

WHEEL_OF_FORTUNE_SPINS: Final = """
query WheelOfFortuneSpins($accountNumber: String!) {
  electricity: wheelOfFortuneSpinsAllowed(
    fuelType: ELECTRICITY, accountNumber: $accountNumber
  ) { spinsAllowed }
  gas: wheelOfFortuneSpinsAllowed(fuelType: GAS, accountNumber: $accountNumber) {
    spinsAllowed
  }
}
"""

SPIN_WHEEL_OF_FORTUNE: Final = """
mutation SpinWheelOfFortune($input: WheelOfFortuneSpinInput!) {
  spinWheelOfFortune(input: $input) {
    prize { value }
  }
}
"""

GREENER_NIGHTS: Final = """
query GreenerNightsForecast {
  greenerNightsForecast { date isGreenerNight greennessScore greennessIndex }
}
"""

HEAT_PUMP_CONTROLLERS: Final = """
query HeatPumpControllers($accountNumber: String!, $propertyId: ID!) {
  heatPumpControllersAtLocation(
    accountNumber: $accountNumber, propertyId: $propertyId
  ) {
    controller { euid }
  }
}
"""

_VALUE_UNIT: Final = "{ value unit }"
_RANGE: Final = f"{{ minimum {_VALUE_UNIT} maximum {_VALUE_UNIT} }}"

HEAT_PUMP: Final = f"""
query HeatPump($accountNumber: String!, $euid: ID!, $lifetime: Boolean! = true) {{
  heatPumpControllerStatus(accountNumber: $accountNumber, euid: $euid) {{
    sensors {{
      code
      connectivity {{ online retrievedAt }}
      telemetry {{ temperatureInCelsius humidityPercentage voltage retrievedAt }}
    }}
    zones {{
      zone
      telemetry {{ setpointInCelsius mode relaySwitchedOn heatDemand retrievedAt }}
    }}
  }}
  heatPumpControllerConfiguration(accountNumber: $accountNumber, euid: $euid) {{
    controller {{ state heatPumpTimezone connected }}
    heatPump {{
      serialNumber
      model
      hardwareVersion
      maxWaterSetpoint
      minWaterSetpoint
      heatingFlowTemperature {{
        currentTemperature {_VALUE_UNIT}
        allowableRange {_RANGE}
      }}
      weatherCompensation {{
        enabled
        currentRange {_RANGE}
      }}
    }}
    zones {{
      configuration {{
        code
        zoneType
        enabled
        displayName
        primarySensor
        currentOperation {{ mode setpointInCelsius action end }}
        callForHeat
        heatDemand
        emergency
        sensors {{
          ... on ADCSensorConfiguration {{ code displayName type enabled }}
          ... on ZigbeeSensorConfiguration {{
            code
            displayName
            type
            firmwareVersion
            boostEnabled
          }}
        }}
      }}
    }}
  }}
  heatPumpLivePerformance(accountNumber: $accountNumber, euid: $euid) {{
    coefficientOfPerformance
    outdoorTemperature {_VALUE_UNIT}
    heatOutput {_VALUE_UNIT}
    powerInput {_VALUE_UNIT}
    readAt
  }}
  heatPumpLifetimePerformance(accountNumber: $accountNumber, euid: $euid)
    @include(if: $lifetime) {{
    seasonalCoefficientOfPerformance
    heatOutput {_VALUE_UNIT}
    energyInput {_VALUE_UNIT}
    readAt
  }}
}}
"""

HEAT_PUMP_SET_ZONE_MODE: Final = """
mutation HeatPumpSetZoneMode(
  $accountNumber: String!, $euid: ID!, $operationParameters: SetZoneModeParameters!
) {
  heatPumpSetZoneMode(
    accountNumber: $accountNumber, euid: $euid,
    operationParameters: $operationParameters
  ) { transactionId }
}
"""

HEAT_PUMP_FLOW_TEMPERATURE: Final = """
mutation HeatPumpUpdateFlowTemperatureConfiguration(
  $accountNumber: String!, $euid: ID!, $flowTemperatureInput: FlowTemperatureInput!
) {
  heatPumpUpdateFlowTemperatureConfiguration(
    accountNumber: $accountNumber, euid: $euid,
    flowTemperatureInput: $flowTemperatureInput
  ) {
    transactionIds { attributeName transactionId }
  }
}
"""

HEAT_PUMP_SET_HUSH_MODE: Final = """
mutation HeatPumpSetHushMode(
  $accountNumber: String!, $euid: ID!, $hushModeEnabled: Boolean!
) {
  heatPumpSetHushMode(
    accountNumber: $accountNumber, euid: $euid, hushModeEnabled: $hushModeEnabled
  ) { transactionId }
}
"""
