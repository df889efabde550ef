"""Tests of the intelligent feature."""
