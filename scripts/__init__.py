"""Developer scripts: the API simulator and what scripts/develop and tests use."""
