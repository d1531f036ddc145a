"""Fetching a file a user sent (a resume), for the Slack and Teams adapters: whole, and never more than the limit."""
from __future__ import annotations

import aiohttp

from core.documents import MAX_RESUME_BYTES
from handlers.requests import Upload


async def download_upload(name: str, url: str, headers: dict | None = None, platform: str = "the chat service") -> Upload:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        async with session.get(url, headers=headers or {}) as response:
            if response.status != 200:
                return Upload(name, error=f"{platform} answered {response.status} when I downloaded it")
            # read() returns only what has arrived so far: read to the end, stopping once over the limit
            data = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > MAX_RESUME_BYTES:
                    return Upload(name, error=f"the file is larger than {MAX_RESUME_BYTES / 1e6:.0f} MB")
    return Upload(name, bytes(data))
