"""Slack adapter: slack-bolt AsyncApp mounted on our aiohttp server, or over Socket Mode."""
