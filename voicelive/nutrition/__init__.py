"""Nutrition toolkit (placeholder, filled in below)."""
