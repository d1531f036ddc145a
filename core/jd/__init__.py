"""Job descriptions: company knowledge, prepared drafts, guardrails, approval records and the background job queue."""
