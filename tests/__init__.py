"""Tests of both integrations."""
