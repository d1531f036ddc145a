"""Microsoft Teams adapter on the Microsoft 365 Agents SDK (the successor of botbuilder-python)."""
