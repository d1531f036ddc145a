"""Entrypoints and platform adapters; the composition root (bootstrap) builds everything from settings."""
