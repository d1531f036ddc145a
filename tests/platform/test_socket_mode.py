"""Socket Mode against a fake Slack socket (hello, envelopes, disconnect): the acknowledgement, with its
"Searching…", reaches Slack before the results it is replaced by (issue 16 item 6), and envelopes Slack delivers
again after a reconnect are acknowledged again but answered once."""
import json
import time

N_SEARCHES = 25


def envelope(i: int, user: str, hooks: str) -> dict:
    return {"envelope_id": f"env-{i}", "type": "slash_commands", "accepts_response_payload": True,
            "payload": {"command": "/find-candidates", "text": "recruiter" if i % 2 else "카프카 개발자",
                        "team_id": "T1", "channel_id": "C1", "user_id": user, "trigger_id": f"sock-{i}-{time.time_ns()}",
                        "response_url": f"{hooks}/hooks/s{i}"}}


async def test_every_ack_is_sent_before_its_results_over_many_fast_searches(serve, fake_slack, org):
    user = org.store.find_employee("E0002").slack_user_id
    fake_slack.socket_envelopes.extend(envelope(i, user, fake_slack.base) for i in range(N_SEARCHES))
    fake_slack.socket_disconnects = 1      # after the envelopes: reconnect, and Slack sends them all again
    server = await serve(SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-test",
                         SLACK_API_URL=fake_slack.base + "/api/")
    try:
        await server.wait_for(lambda: all(fake_slack.posts("response_url", f"s{i}") for i in range(N_SEARCHES)),
                              timeout=90)
        await server.wait_for(lambda: len(fake_slack.socket_acks) >= 2 * N_SEARCHES)     # the redelivered ones too
        late = [i for i in range(N_SEARCHES) if fake_slack.arrived[f"ack:env-{i}"] > fake_slack.arrived[f"s{i}"]]
        assert late == []
        acks = {a["envelope_id"]: a for a in fake_slack.socket_acks}
        assert "Searching" in json.dumps(acks["env-1"]) and "찾고 있어요" in json.dumps(acks["env-0"], ensure_ascii=False)
        assert len([c for c in fake_slack.calls if c[1] == "apps.connections.open"]) >= 2
        # one answer per search, the redelivery after the reconnect included
        assert all(len(fake_slack.posts("response_url", f"s{i}")) == 1 for i in range(N_SEARCHES))
        assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "s1")[0])
    finally:
        await server.http.close()
        await server.server.close()
