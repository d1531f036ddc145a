import pytest

from core.ai.embedders import HashingEmbedder
from core.importer import ImportReport
from core.reindex import reindex
from tests.conftest import person


class Crashing(HashingEmbedder):
    """Dies after `ok_batches` batches, like a process killed half-way. `embedded` holds the resumes it embedded
    (each batch also embeds the profiles' language-neutral summaries, which are not counted)."""

    def __init__(self, ok_batches: int):
        super().__init__(32)
        self.ok_batches = ok_batches
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        if self.ok_batches == 0:
            raise KeyboardInterrupt
        self.ok_batches -= 1
        self.embedded.extend(t for t in texts if "engineer number" in t)
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


def test_switching_to_gemini_embeddings_is_detected_and_a_reindex_makes_search_work(org, gemini_fake, monkeypatch):
    from bot.bootstrap import build_app
    from core.matching.service import EmbedderMismatchError

    monkeypatch.setenv("INTERNAL_HIRE_EMBEDDER", "gemini-256")
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_fake.base_url)
    settings = type(org.settings)(INTERNAL_HIRE_DATA_DIR=org.settings.data_dir)
    with pytest.raises(EmbedderMismatchError, match="internal-hire reindex"):
        build_app(settings)
    app = build_app(settings, check_embedder=False)
    report = reindex(app.store, app.embedder)
    assert report.embedded == 10 and app.store.embedding_models() == [("gemini-embedding-001@256", 256, 10)]
    embeds = gemini_fake.requests_for("batchEmbedContents")
    assert {r["taskType"] for r in embeds[0].body["requests"]} == {"RETRIEVAL_DOCUMENT"}
    app.matching.check_embedder()                          # consistent now
    page = app.matching.search("Kafka engineer", limit=3)
    assert len(page.candidates) == 3
    assert embeds[-1] is not gemini_fake.requests_for("batchEmbedContents")[-1]   # the query was embedded too
    query = gemini_fake.requests_for("batchEmbedContents")[-1].body["requests"][0]
    assert query["taskType"] == "RETRIEVAL_QUERY" and query["outputDimensionality"] == 256
    app.close()
