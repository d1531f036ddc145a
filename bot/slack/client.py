"""The Slack Web API client and the response_url client share one retry policy."""
from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (AsyncConnectionErrorRetryHandler,
                                                         AsyncRateLimitErrorRetryHandler,
                                                         AsyncServerErrorRetryHandler)

RATE_LIMIT_RETRIES = 3


def retry_handlers():
    """429 answers are retried honouring Retry-After; connection errors and 5xx once more."""
    return [AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=1)]
