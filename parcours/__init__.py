"""Parcours: information system for migration programmes."""
