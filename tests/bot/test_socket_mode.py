"""`sitrep run --no-worker`: Socket Mode against a local websocket standing in for Slack's."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading

from websockets.sync.server import serve

from tests.bot.support import APP_TOKEN, ROOT, check_limits, sitrep_env


def test_socket_mode_acks_the_envelope_and_replies(fake_slack, corpus_db):
    received: queue.Queue = queue.Queue()
    command = {
        "token": "legacy", "team_id": "T1", "channel_id": "C0SOCK", "user_id": "U0SOCK",
        "command": "/conflict", "text": "latest Mariupol", "api_app_id": "A1",
        "response_url": fake_slack.url + "response/socket", "trigger_id": "1.2.3",
    }

    def session(websocket) -> None:
        websocket.send(json.dumps({"type": "hello", "num_connections": 1}))
        websocket.send(json.dumps({"envelope_id": "env-123", "type": "slash_commands",
                                   "accepts_response_payload": True, "payload": command}))
        for message in websocket:
            received.put(json.loads(message))

    with serve(session, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        fake_slack.socket_mode_url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/link"
        env = sitrep_env(fake_slack.api_url, corpus_db, SLACK_APP_TOKEN=APP_TOKEN)
        before = len(fake_slack.calls_to("response_url"))
        process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-worker"], cwd=ROOT,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        try:
            ack = received.get(timeout=20)
            assert ack["envelope_id"] == "env-123"
            reply = fake_slack.wait_for("response_url", before + 1, timeout=20)[before].params
        finally:
            process.terminate()
            process.communicate(timeout=10)
            server.shutdown()
    opened = fake_slack.calls_to("apps.connections.open")[-1]
    assert APP_TOKEN in opened.headers.get("Authorization", "")
    assert "killed in Mariupol" in json.dumps(reply["blocks"], ensure_ascii=False)
    check_limits(reply["text"], reply["blocks"])
