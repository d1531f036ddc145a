"""Adapters at the edge: the only code that imports database drivers (and, in time, the other SDKs)."""
