"""Reads shaped for the catalogue's screens, each with a fixed number of queries.

``catalogue`` (categories, languages, the change counter), ``browse`` (the
filtered listing) and ``detail`` (one expert page). They never import the page
classes: pages call them (see docs/architecture.md).
"""
