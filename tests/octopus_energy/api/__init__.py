"""Tests of the HA-free Octopus Energy API client."""
