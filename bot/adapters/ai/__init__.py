"""AI adapters at the edge: Gemini through google-genai (text and embeddings) behind core.ai.provider.AIProvider and
core.ports.Embedder, and the factory that picks them from settings. Core imports no google-genai."""
