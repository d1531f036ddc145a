"""Neutral card model and its renderers. Renderers render; they decide nothing."""
from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Text

__all__ = ["Actions", "Button", "Card", "Context", "Divider", "Fields", "Header", "Text"]
