"""The real-resume development set: ../shared/datasets/livecareer-resumes, read at run time and imported through
the product's own import path into a temporary data folder. Nothing of it is copied into the project.

- Each resume becomes one employee: id LC<ID>, title = the resume's first line (the job title the PDF starts with),
  resume = the rest, department "dev-A" or "dev-B" (the half, fixed by sha1 of the ID: even first byte is A).
- The imported folder is cached under /tmp (key: the dataset file and the source files that shape a profile), and
  embeddings are cached by text so a rebuild after a change to the profile builder costs no re-embedding. A rebuild
  removes the other imported folders of its cache folder: people working side by side each set their own with
  INTERNAL_HIRE_DEVSET_CACHE.
"""
from __future__ import annotations

import csv
import json
import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("INTERNAL_HIRE_DEVSET_CACHE", Path(tempfile.gettempdir()) / "ih-devset-cache"))
# Source files whose changes change what import stores (terms, skills, years): a change rebuilds the cached folder.
# core/matching/lexical.py and seniority.py are left out (most of their code runs at index build or query time):
# bump STORED_FORMAT after changing encode_document or years_in_text.
STORED_FORMAT = 1
PROFILE_SOURCES = ("core/profiles.py", "core/text.py", "core/fairness.py", "core/importer.py",
                   "core/skills/extractor.py", "core/skills/taxonomy.py", "core/skills/data/taxonomy.json",
                   "core/matching/bridge.py", "core/skills/occupations.py", "core/skills/data/occupations.json")  # summaries


def dataset_path() -> Path | None:
    explicit = os.environ.get("INTERNAL_HIRE_DEVSET")
    if explicit:
        return Path(explicit)
    for base in (ROOT, *ROOT.parents):
        candidate = base / "shared" / "datasets" / "livecareer-resumes" / "resumes.csv"
        if candidate.exists():
            return candidate
    return None


@dataclass
class Resume:
    id: str           # LC<ID>
    category: str
    half: str         # "A" (tune) or "B" (held-out)
    title: str
    body: str


def half_of(raw_id: str) -> str:
    return "A" if hashlib.sha1(raw_id.encode()).digest()[0] % 2 == 0 else "B"


def read_resumes(path: Path) -> list[Resume]:
    csv.field_size_limit(sys.maxsize)
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("Resume_str") or "").strip()
            if not text:
                continue
            lines = [line.strip() for line in text.splitlines()]
            title = next((line for line in lines if line), "")[:120]
            body = text.split(title, 1)[1].strip() if title else text
            out.append(Resume(f"LC{row['ID']}", row["Category"].strip().upper(), half_of(row["ID"]), title, body))
    return out


class CachingEmbedder:
    """Wraps the product's embedder; document vectors are kept by text hash in one file under the cache folder.
    It embeds in the importing process (embeds_in_process False): a copy sent to the import's worker processes
    would fill its cache there, and nothing of it would reach the file."""

    embeds_in_process = False

    def __init__(self, inner, path: Path):
        self.inner = inner
        self.path = path
        self.model_id, self.dim = inner.model_id, inner.dim
        self.known: dict[str, np.ndarray] = {}
        if path.exists():
            data = np.load(path, allow_pickle=False)
            self.known = dict(zip(data["keys"].tolist(), data["vectors"]))

    def __getattr__(self, name):
        if name == "inner":     # not set yet (a copy being unpickled): no endless recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    def embed_documents(self, texts):
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in self.known]
        if todo:
            vectors = self.inner.embed_documents([texts[i] for i in todo])
            for i, v in zip(todo, vectors):
                self.known[keys[i]] = np.asarray(v, dtype=np.float32)
        return np.vstack([self.known[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text):
        return self.inner.embed_query(text)

    def save(self) -> None:
        keys = sorted(self.known)
        tmp = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.vstack([self.known[k] for k in keys]))
        os.replace(tmp, self.path)


def _cache_key(path: Path) -> str:
    digest = hashlib.sha1(f"{path.stat().st_size}:{int(path.stat().st_mtime)}:{STORED_FORMAT}".encode())
    for rel in PROFILE_SOURCES:
        source = ROOT / rel
        if source.exists():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def build_app(progress=print):
    """(app, resumes) with the dev set imported through the real import path; reuses the cached folder."""
    from bench.common import scratch_app

    path = dataset_path()
    if path is None or not path.exists():
        raise SystemExit("the dev set was not found: set INTERNAL_HIRE_DEVSET to livecareer-resumes/resumes.csv")
    resumes = read_resumes(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    folder = CACHE / f"data-{_cache_key(path)}"
    done = folder / ".complete"
    if done.exists():
        return scratch_app(str(folder)), resumes
    import shutil

    for old in CACHE.glob("data-*"):
        shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True)
    app = scratch_app(str(folder))
    embedder = CachingEmbedder(app.importer.embedder, CACHE / f"vectors-{app.embedder.model_id.replace('/', '_')}.npz")
    app.importer.embedder = embedder
    records = folder / "import" / "devset.jsonl"   # inside the temporary folder only
    records.parent.mkdir()
    with open(records, "w", encoding="utf-8") as fh:
        for r in resumes:
            fh.write(json.dumps({"id": r.id, "display_name": f"Devset {r.id}", "department": f"dev-{r.half}",
                                 "title": r.title, "open_to_moves": "yes", "role": "employee",
                                 "resume_text": r.body}, ensure_ascii=False) + "\n")
    progress(f"importing {len(resumes)} dev-set resumes into {folder} (cached for later runs)…")
    report = app.importer.import_path(records)
    records.unlink()
    embedder.save()
    progress(f"imported: {report.added} added, {len(report.rejected)} rejected")
    done.write_text("ok")
    return app, resumes
