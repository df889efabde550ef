"""Tests of the day benchmark (scripts/bench)."""
