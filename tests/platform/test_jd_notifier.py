"""A finished background JD job is announced to its requester in a Slack direct message, exactly once, even with two
server instances looking for finished jobs at the same time."""
import asyncio

from bot.background import Notifier, deliver_finished_jobs
from bot.server import build_platforms
from bot.settings import load_settings
from cards.model import Card, Text
from core.jd.service import JdService
from tests.platform.fakes import SIGNING_SECRET


async def test_a_finished_job_is_announced_once_across_two_notifiers(org, fake_slack):
    settings = load_settings(INTERNAL_HIRE_DATA_DIR=org.settings.data_dir, SLACK_BOT_TOKEN="xoxb-test",
                             SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.base + "/api/")
    platforms = build_platforms(org, settings)
    service = JdService(org.store, org.extractor)
    service.load_demo()
    company = service.companies()[0]
    posting = service.postings(company.id)[0]
    hr = org.store.find_employee("E0001")
    brief = service.brief("Write a job description for an engineer who builds payment data pipelines with Kafka",
                          company.id, posting.family, posting.level)
    submitted = service.submit_custom(brief, hr.id)
    assert service.offline_worker().run_until_empty() == 1

    def cards_for(job):
        return [Card([Text(f"Your job description {job.id} is ready")], fallback="ready")]

    notifiers = [Notifier(org.store, platforms), Notifier(org.store, build_platforms(org, settings))]
    told = await asyncio.gather(*(deliver_finished_jobs(service.queue, n, cards_for) for n in notifiers))
    assert sum(told) == 1
    posts = fake_slack.posts("api", "chat.postMessage")
    assert len(posts) == 1 and posts[0]["channel"] == hr.slack_user_id and submitted.job_id in str(posts[0])
    assert await deliver_finished_jobs(service.queue, notifiers[0], cards_for) == 0     # never twice


async def test_the_server_runs_the_worker_and_announces_finished_jobs(org, fake_slack):
    """The production wiring: the server starts the job worker and the notifier with itself."""
    from aiohttp.test_utils import TestServer

    from bot.background import attach_jd_background
    from bot.server import create_web_app

    settings = load_settings(INTERNAL_HIRE_DATA_DIR=org.settings.data_dir, SLACK_BOT_TOKEN="xoxb-test",
                             SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.base + "/api/")
    platforms = build_platforms(org, settings)
    web_app = create_web_app(org, settings, platforms)
    attach_jd_background(web_app, org, platforms, interval=0.05)
    server = TestServer(web_app, host="127.0.0.1")
    await server.start_server()
    try:
        service = org.jd_service
        company = service.companies()[0]
        posting = service.postings(company.id)[0]
        hr = org.store.find_employee("E0001")
        brief = service.brief("Write a job description for an engineer who builds payment data pipelines with Kafka",
                              company.id, posting.family, posting.level)
        job = service.submit_custom(brief, hr.id)
        deadline = asyncio.get_running_loop().time() + 20
        while not fake_slack.posts("api", "chat.postMessage") and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        [told] = fake_slack.posts("api", "chat.postMessage")
        assert told["channel"] == hr.slack_user_id and "ready" in str(told).lower()
        assert service.queue.get(job.job_id).status == "done"
    finally:
        await server.close()
