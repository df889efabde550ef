"""Tests of the local API simulator (scripts/simulator)."""
