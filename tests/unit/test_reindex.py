import pytest

from core.ai.embedders import HashingEmbedder
from core.importer import ImportReport
from core.reindex import reindex
from tests.conftest import person


class Crashing(HashingEmbedder):
    """Dies after `ok_batches` batches, like a process killed half-way."""

    def __init__(self, ok_batches: int):
        super().__init__(32)
        self.ok_batches = ok_batches
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        if self.ok_batches == 0:
            raise KeyboardInterrupt
        self.ok_batches -= 1
        self.embedded.extend(texts)
        return super().embed_documents(texts)


@pytest.fixture
def org(empty_app):
    people = [person(f"E{i:02d}", f"Python and Kafka engineer number {i}") for i in range(10)]
    empty_app.importer.upsert(people, ImportReport())
    return empty_app


def test_an_interrupted_reindex_resumes_without_redoing_finished_batches(org):
    crashing = Crashing(ok_batches=2)
    with pytest.raises(KeyboardInterrupt):
        reindex(org.store, crashing, batch_size=3)
    assert len(crashing.embedded) == 6
    resumed = Crashing(ok_batches=99)
    seen = []
    report = reindex(org.store, resumed, batch_size=3, progress=lambda done, total: seen.append((done, total)))
    assert report.resumed_after == "E05" and report.embedded == 4 and len(resumed.embedded) == 4
    assert seen[-1] == (4, 4)
    assert org.store.embedding_models() == [("hashing-32", 32, 10)]     # nothing of the old model is left
    again = reindex(org.store, Crashing(ok_batches=99), batch_size=3)
    assert again.resumed_after is None and again.embedded == 10         # a finished run leaves no checkpoint


def test_changed_only_embeds_just_the_missing_profiles(org):
    report = reindex(org.store, org.embedder, changed_only=True)
    assert report.embedded == 0 and report.skipped == 10
    org.store.clear_embeddings()
    assert reindex(org.store, org.embedder, changed_only=True).embedded == 10
