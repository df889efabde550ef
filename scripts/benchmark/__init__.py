"""The day benchmark (`scripts/bench`): a simulated day per reference scenario.

- `simserver`: the API simulator in its own thread, with a latency per request;
- `scenarios`: the baseline, OSO and Octopus scenarios;
- `runner`: setup and the stepped day inside Home Assistant's test harness;
- `imports`: the integration imported afresh for each scenario;
- `measure`: requests, recorder database, entities and readiness;
- `budgets`, `report`: the Octopus budgets, the tables and the JSON document;
- `plugin`: pytest fixtures and the report at the end of the session.

The pytest module that runs the scenarios is scripts/bench_day.py.
"""
