"""Chat credentials checked when the server starts: a missing or refused token is one clear line naming the setting,
not a server that runs and logs a traceback every 10 seconds.

Checked with Slack itself: SLACK_BOT_TOKEN (auth.test) and, in Socket Mode, SLACK_APP_TOKEN (apps.connections.open).
A signing secret cannot be checked before Slack sends a request; a wrong one shows as 401 answers to Slack. When Slack
cannot be reached at start, the server starts and says so (a network problem is not a configuration error).
"""
from __future__ import annotations

import asyncio

REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
           "not_allowed_token_type", "no_permission", "missing_scope"}
CHECK_TIMEOUT_S = 10.0


class CredentialError(Exception):
    """One line, naming the setting to fix."""


def _value(secret) -> str:
    return secret.get_secret_value().strip() if secret is not None else ""


def configuration_problem(settings) -> str | None:
    """What is wrong with the chat settings as written, before asking anyone."""
    bot, app_token, signing = (_value(settings.slack_bot_token), _value(settings.slack_app_token),
                               _value(settings.slack_signing_secret))
    if (app_token or signing) and not bot:
        which = "SLACK_APP_TOKEN" if app_token else "SLACK_SIGNING_SECRET"
        return f"{which} is set but SLACK_BOT_TOKEN is missing: set the Bot User OAuth Token (xoxb-…)"
    if bot and not (app_token or signing):
        return ("SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP events) nor SLACK_APP_TOKEN "
                "(Socket Mode) is: set one of them")
    if bot and not bot.startswith("xoxb-"):
        hint = " (that is an app-level token: it belongs in SLACK_APP_TOKEN)" if bot.startswith("xapp-") else ""
        return f"SLACK_BOT_TOKEN is not a bot token: it must start with xoxb-{hint}"
    if app_token and not app_token.startswith("xapp-"):
        hint = " (that is a bot token: it belongs in SLACK_BOT_TOKEN)" if app_token.startswith("xoxb-") else ""
        return f"SLACK_APP_TOKEN is not an app-level token: it must start with xapp-{hint}"
    if settings.teams_app_id and not _value(settings.teams_app_password):
        return "TEAMS_APP_ID is set but TEAMS_APP_PASSWORD is missing: set the app registration's client secret"
    return None


async def _ask_slack(settings) -> str | None:
    """None when Slack accepted the tokens (or could not be asked: the returned note says so)."""
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    checks = [("SLACK_BOT_TOKEN", _value(settings.slack_bot_token), "auth_test")]
    if _value(settings.slack_app_token):
        checks.append(("SLACK_APP_TOKEN", _value(settings.slack_app_token), "apps_connections_open"))
    for setting, token, method in checks:
        client = AsyncWebClient(token=token, base_url=settings.slack_api_url, timeout=int(CHECK_TIMEOUT_S))
        try:
            if method == "apps_connections_open":
                await client.apps_connections_open(app_token=token)
            else:
                await client.auth_test()
        except SlackApiError as exc:
            error = (exc.response.data or {}).get("error", "") if exc.response is not None else ""
            if error in REFUSED:
                raise CredentialError(f"{setting} was refused by Slack ({error}): copy it again from your Slack "
                                      f"app's settings") from None
            return f"Slack: could not check {setting} ({error or exc}); starting anyway"
        except Exception as exc:  # noqa: BLE001 - unreachable, TLS, DNS: not the token's fault
            return f"Slack: could not reach {settings.slack_api_url} to check {setting} ({type(exc).__name__}); " \
                   f"starting anyway"
    return None


def check_chat_credentials(settings) -> list[str]:
    """Raise CredentialError for a missing or refused credential; notes to print otherwise."""
    problem = configuration_problem(settings)
    if problem:
        raise CredentialError(problem)
    if not _value(settings.slack_bot_token):
        return []
    note = asyncio.run(asyncio.wait_for(_ask_slack(settings), CHECK_TIMEOUT_S + 2))
    return [note] if note else []
