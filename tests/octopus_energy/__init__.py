"""Tests of the Octopus Energy integration."""
