"""Octopus Energy (Kraken) integration for Home Assistant."""
