"""Reads for the bookings screens and services, each with a fixed number of queries.

``availability`` (stored hours as the slot engine's input), ``busy`` (bookings
and holds in a window), ``slots`` (a week of free times) and ``sessions``
(the dashboards' session lists).
"""
