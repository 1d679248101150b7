"""Billing fixtures: the loopback Stripe server lives in ``tests/conftest.py`` so journeys can share it."""
