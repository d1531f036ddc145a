"""Ports: the small interfaces core services depend on. Adapters live in core/storage and core/ai."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

import numpy as np

from core.domain import Employee


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class IndexRow:
    """What the in-process search index needs of one employee (no resume text, no personal details)."""

    id: str
    department: str
    level: str
    open_to_moves: bool
    skill_ids: tuple[str, ...]
    terms: tuple[str, ...]
    profile_words: int
    vector: np.ndarray | None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor_id: str
    action: str
    query: str
    shown_ids: tuple[str, ...]
    details: dict


@dataclass(frozen=True)
class StoredProfile:
    """An employee plus the derived data kept next to them."""

    employee: Employee
    resume_hash: str
    terms: tuple[str, ...]
    profile_words: int


class EmployeeStore(Protocol):
    backend_name: str

    def migrate(self) -> None: ...
    def schema_version(self) -> int: ...
    def close(self) -> None: ...

    # employees
    def upsert_profile(self, employee: Employee, resume_hash: str, terms: Iterable[str], profile_words: int,
                       vector: np.ndarray | None, embedder_id: str) -> None: ...
    def get_employee(self, employee_id: str) -> Employee | None: ...
    def get_employees(self, employee_ids: list[str]) -> dict[str, Employee]: ...
    def get_resume_hash(self, employee_id: str) -> str | None: ...
    def find_employee(self, key: str) -> Employee | None: ...
    def list_employees(self) -> list[Employee]: ...
    def count_employees(self) -> int: ...
    def delete_employee(self, employee_id: str) -> bool: ...
    def data_version(self) -> int: ...

    # embeddings
    def embedding_model(self) -> tuple[str, int] | None: ...
    def index_rows(self) -> list[IndexRow]: ...
    def set_embedding(self, employee_id: str, vector: np.ndarray, embedder_id: str) -> None: ...
    def clear_embeddings(self) -> None: ...

    # audit, shortlists, search sessions
    def add_audit(self, actor_id: str, action: str, query: str, shown_ids: list[str], details: dict | None = None) -> None: ...
    def list_audit(self, limit: int | None = None) -> list[AuditEntry]: ...
    def add_to_shortlist(self, owner_id: str, employee_id: str, note: str = "") -> bool: ...
    def shortlist(self, owner_id: str) -> list[str]: ...
    def save_conversation_ref(self, platform: str, user_key: str, reference: dict) -> None: ...
    def load_conversation_ref(self, platform: str, user_key: str) -> dict | None: ...
    def save_search(self, search_id: str, actor_id: str, query: str, filters: dict) -> None: ...
    def load_search(self, search_id: str) -> tuple[str, str, dict] | None: ...
