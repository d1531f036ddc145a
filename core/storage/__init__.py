from core.storage.errors import StoreError, SchemaTooNewError, EmbedderMismatchError

__all__ = ["StoreError", "SchemaTooNewError", "EmbedderMismatchError"]
