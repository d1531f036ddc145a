"""Settings from the environment and `.env`. Every setting is optional; see .env.example."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      populate_by_name=True)

    data_dir: Path = Field(default=Path("data"), alias="INTERNAL_HIRE_DATA_DIR")
    embedder: str = Field(default="use", alias="INTERNAL_HIRE_EMBEDDER")
    demo_autoload: bool = Field(default=True, alias="INTERNAL_HIRE_DEMO_AUTOLOAD")
    default_limit: int = Field(default=5, ge=1, le=20, alias="INTERNAL_HIRE_DEFAULT_LIMIT")
    log_level: str = Field(default="WARNING", alias="INTERNAL_HIRE_LOG_LEVEL")

    @property
    def database_path(self) -> Path:
        return self.data_dir / "internal-hire.sqlite3"


def load_settings(**overrides) -> Settings:
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
