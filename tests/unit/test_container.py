"""The Dockerfile cannot be built here (no Docker engine); check what it promises instead."""
from pathlib import Path

DOCKERFILE = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()


def test_slim_base_non_root_volume_healthcheck_and_serve():
    lines = [line.strip() for line in DOCKERFILE.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert all(line.split()[1].endswith("-slim") or " AS " in line for line in lines if line.startswith("FROM"))
    user_lines = [line for line in lines if line.startswith("USER ")]
    assert user_lines and user_lines[-1] != "USER root"
    assert 'VOLUME ["/data"]' in lines and "INTERNAL_HIRE_DATA_DIR=/data" in DOCKERFILE
    assert any(line.startswith("HEALTHCHECK") for line in lines) and "/healthz" in DOCKERFILE
    assert lines[-1] == 'CMD ["internal-hire", "serve"]'
    assert ".[dev]" not in DOCKERFILE          # runtime dependencies only
