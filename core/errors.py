"""Errors the domain and the services see from the ports. Adapters raise them; core catches them by these names."""


class StoreError(Exception):
    """A storage problem with a message meant for the person running the product."""


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer Internal Hire than this one."""


class EmbedderMismatchError(StoreError):
    """The stored vectors were made by another embedding model than the one configured."""
