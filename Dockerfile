# Internal Hire: `internal-hire serve` (Slack /slack/events, Teams /api/messages, /healthz) on one port.
# Build:  docker build -t internal-hire .
# Run:    docker run -p 3978:3978 -v internal-hire-data:/data --env-file .env internal-hire

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY core ./core
COPY cards ./cards
COPY scheduler ./scheduler
# Only runtime dependencies: wheels for the package and what it needs, no test extras.
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    INTERNAL_HIRE_DATA_DIR=/data \
    XDG_CACHE_HOME=/data/.cache \
    PORT=3978 \
    HOST=0.0.0.0
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER app
WORKDIR /home/app
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3978'), timeout=4)"
CMD ["internal-hire", "serve"]
