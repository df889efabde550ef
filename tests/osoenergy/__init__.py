"""Tests of the OSO Energy integration."""
