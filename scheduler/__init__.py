"""Timed work (re-embedding, digests, the durable job worker); filled in by the storage and JD issues."""
