class StoreError(Exception):
    """A storage problem with a message meant for the person running the product."""


class SchemaTooNewError(StoreError):
    pass


class EmbedderMismatchError(StoreError):
    pass
