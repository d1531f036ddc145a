"""Settings from the environment and `.env`. Every setting is optional; see .env.example."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


REQUEST_GRACE_S = 5.0      # after the AI budget, time for the offline answer and posting it


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      populate_by_name=True)

    data_dir: Path = Field(default=Path("data"), alias="INTERNAL_HIRE_DATA_DIR")
    embedder: str = Field(default="use", alias="INTERNAL_HIRE_EMBEDDER")
    demo_autoload: bool = Field(default=True, alias="INTERNAL_HIRE_DEMO_AUTOLOAD")
    default_limit: int = Field(default=5, ge=1, le=20, alias="INTERNAL_HIRE_DEFAULT_LIMIT")
    log_level: str = Field(default="WARNING", alias="INTERNAL_HIRE_LOG_LEVEL")

    # Storage: the embedded SQLite file unless a MySQL-protocol server is given (TiDB in production).
    database_url: SecretStr | None = Field(default=None, alias="DATABASE_URL")
    tidb_dsn: SecretStr | None = Field(default=None, alias="TIDB_DSN")
    database_ssl_ca: str | None = Field(default=None, alias="DATABASE_SSL_CA")
    database_pool_size: int = Field(default=8, ge=1, le=64, alias="DATABASE_POOL_SIZE")
    # Seconds a server connection may take to connect, and to answer a read or accept a write (pymysql's timeouts).
    # Unset: the URL's connect_timeout/read_timeout/write_timeout options, else 5/15/15 (a server that stops answering is not retried).
    database_connect_timeout: float | None = Field(default=None, gt=0, le=3600, alias="DATABASE_CONNECT_TIMEOUT")
    database_read_timeout: float | None = Field(default=None, gt=0, le=3600, alias="DATABASE_READ_TIMEOUT")
    database_write_timeout: float | None = Field(default=None, gt=0, le=3600, alias="DATABASE_WRITE_TIMEOUT")

    # From this many profiles on, searches take their semantic candidates from an in-process HNSW graph (usearch,
    # int8 vectors) instead of scanning every profile exactly; 0 = always exact (core/matching/ann.py, README).
    ann_min_profiles: int = Field(default=250_000, ge=0, alias="INTERNAL_HIRE_ANN_MIN_PROFILES")

    # Scheduled re-embedding (cron syntax, UTC); empty disables it.
    reindex_cron: str = Field(default="0 3 * * *", alias="INTERNAL_HIRE_REINDEX_CRON")
    # Nightly preparation of the instant JD drafts (only changed sets are rebuilt); empty disables it.
    jd_prepare_cron: str = Field(default="30 3 * * *", alias="INTERNAL_HIRE_JD_PREPARE_CRON")
    # The weekly digest (core/digest.py): when it runs (cron, in INTERNAL_HIRE_TIMEZONE; empty disables it), and the
    # retry run for people whose delivery failed this week (hourly by default; empty disables retries).
    digest_cron: str = Field(default="0 9 * * mon", alias="INTERNAL_HIRE_DIGEST_CRON")
    digest_retry_cron: str = Field(default="20 * * * *", alias="INTERNAL_HIRE_DIGEST_RETRY_CRON")
    timezone: str = Field(default="Asia/Seoul", alias="INTERNAL_HIRE_TIMEZONE")
    # Where this server is reachable from Teams clients (https://…): digest charts in Teams cards are then signed,
    # expiring links to /digest/charts/… instead of images inside the card. INTERNAL_HIRE_LINK_SECRET signs them
    # (the same on every instance; unset: a secret kept in the data folder).
    public_url: str = Field(default="", alias="INTERNAL_HIRE_PUBLIC_URL")
    link_secret: SecretStr | None = Field(default=None, alias="INTERNAL_HIRE_LINK_SECRET")

    # Gemini (google-genai). Without a key every AI task runs offline.
    gemini_api_key: SecretStr | None = Field(default=None, alias="GEMINI_API_KEY")
    gemini_base_url: str | None = Field(default=None, alias="GEMINI_BASE_URL")
    # Defaults checked on 2026-12-07 against Google's deprecations page and model list (core/ai/models.py, README).
    model_fast: str = Field(default="gemini-3.5-flash-lite", alias="INTERNAL_HIRE_MODEL_FAST")
    model_strong: str = Field(default="gemini-3.8-flash", alias="INTERNAL_HIRE_MODEL_STRONG")
    model_embedding: str = Field(default="gemini-embedding-001", alias="INTERNAL_HIRE_MODEL_EMBEDDING")
    ai_timeout: float = Field(default=20.0, gt=0, le=300, alias="INTERNAL_HIRE_AI_TIMEOUT")
    ai_retries: int = Field(default=3, ge=0, le=10, alias="INTERNAL_HIRE_AI_RETRIES")
    # One overall deadline per chat request, in seconds: every Gemini call a request makes (retries included) shares
    # it, then the offline answer is given. 0 = each call is bounded only by the timeout and retries above.
    chat_deadline: float = Field(default=10.0, ge=0, le=300, alias="INTERNAL_HIRE_CHAT_DEADLINE")
    # The longest request text (characters) any entry accepts: longer ones are refused at once, with a message.
    max_request_chars: int = Field(default=8000, ge=200, le=1_000_000, alias="INTERNAL_HIRE_MAX_REQUEST_CHARS")
    # Tokens all AI tasks may use per UTC day; past it, custom JD generation runs from templates. 0 = unlimited.
    daily_token_budget: int = Field(default=2_000_000, ge=0, alias="INTERNAL_HIRE_DAILY_TOKEN_BUDGET")

    # Four eyes: a JD is approved by an HR admin who did not write or edit it. Only an organisation with a single HR
    # admin should allow self-approval; cards and `jd history` then mark such approvals.
    allow_self_approval: bool = Field(default=False, alias="INTERNAL_HIRE_ALLOW_SELF_APPROVAL")

    # Openings alerts (core/openings.py): an opted-in employee is told about an open opening whose fit with their
    # profile is at least this (0-100, the search score; 55 = "good"), at most one message a day; checked every
    # INTERNAL_HIRE_ALERT_INTERVAL seconds (0 disables the alert job).
    alert_min_fit: int = Field(default=55, ge=0, le=100, alias="INTERNAL_HIRE_ALERT_MIN_FIT")
    alert_interval: float = Field(default=60.0, ge=0, le=86400, alias="INTERNAL_HIRE_ALERT_INTERVAL")

    # Server
    # Bearer token for the details on /healthz?verbose from another machine (loopback needs none); unset: loopback only.
    api_token: SecretStr | None = Field(default=None, alias="INTERNAL_HIRE_API_TOKEN")
    # The largest body POST /api/v1/employees accepts (bytes); larger answers 413.
    api_max_bytes: int = Field(default=2 * 1024 * 1024, alias="INTERNAL_HIRE_API_MAX_BYTES", ge=1024)
    port: int = Field(default=3978, alias="PORT")
    # On SIGTERM: seconds the requests in flight may take to finish before the server closes (new work is refused).
    shutdown_grace: float = Field(default=15.0, ge=0, le=600, alias="INTERNAL_HIRE_SHUTDOWN_GRACE")
    host: str = Field(default="0.0.0.0", alias="HOST")

    # Slack: HTTP mode needs the bot token and signing secret; Socket Mode adds the app-level token.
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    # Hosts a payload's response_url may point at (comma-separated), besides hooks.slack.com and SLACK_API_URL's host;
    # results are never posted anywhere else (they answer by direct message instead).
    slack_response_url_hosts: str = Field(default="", alias="SLACK_RESPONSE_URL_HOSTS")

    # Teams (Microsoft 365 Agents SDK): a single-tenant app registration.
    teams_app_id: str | None = Field(default=None, alias="TEAMS_APP_ID")
    teams_app_password: SecretStr | None = Field(default=None, alias="TEAMS_APP_PASSWORD")
    teams_tenant_id: str | None = Field(default=None, alias="TEAMS_TENANT_ID")
    # Without an app id, Teams traffic is accepted only when this is true (local testing, the Agents Playground).
    teams_allow_anonymous: bool = Field(default=False, alias="TEAMS_ALLOW_ANONYMOUS")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Seoul or UTC)") from None
        return value

    @field_validator("digest_cron", "digest_retry_cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        if value.strip():
            from scheduler.jobs import cron_trigger

            try:
                cron_trigger(value)
            except ValueError as exc:
                raise ValueError(f"not a cron expression ({exc}): {value!r}") from None
        return value

    @property
    def slack_mode(self) -> str | None:
        """'socket', 'http' or None (Slack not configured)."""
        if not self.slack_bot_token:
            return None
        if self.slack_app_token:
            return "socket"
        return "http" if self.slack_signing_secret else None

    @property
    def request_deadline(self) -> float | None:
        """Seconds from a chat request's arrival to its answer (results, the offline fallback or "did not finish"):
        the AI budget plus REQUEST_GRACE_S for the offline answer; None when INTERNAL_HIRE_CHAT_DEADLINE is 0."""
        return self.chat_deadline + REQUEST_GRACE_S if self.chat_deadline else None

    @property
    def response_url_hosts(self) -> frozenset[str]:
        from urllib.parse import urlsplit

        extra = {h.strip().lower() for h in self.slack_response_url_hosts.split(",") if h.strip()}
        return frozenset({"hooks.slack.com", urlsplit(self.slack_api_url).hostname or "slack.com"} | extra)

    @property
    def teams_mode(self) -> str | None:
        """'single-tenant', 'anonymous' or None (Teams not configured)."""
        if self.teams_app_id:
            return "single-tenant"
        return "anonymous" if self.teams_allow_anonymous else None

    @property
    def database_setting(self) -> tuple[str, str] | None:
        """(setting name, URL) of the server database, or None for the embedded default. TIDB_DSN wins."""
        if self.tidb_dsn and self.tidb_dsn.get_secret_value().strip():
            return "TIDB_DSN", self.tidb_dsn.get_secret_value().strip()
        if self.database_url and self.database_url.get_secret_value().strip():
            return "DATABASE_URL", self.database_url.get_secret_value().strip()
        return None

    @property
    def database_path(self) -> Path:
        return self.data_dir / "internal-hire.sqlite3"


def load_settings(**overrides) -> Settings:
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
