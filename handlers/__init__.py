"""Platform-neutral use cases: a request (who, role, language, text or action) -> a reply (cards)."""
