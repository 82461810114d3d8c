"""briefings/ never imports Slack: composing and scheduling work without slack_sdk."""

from __future__ import annotations

import subprocess
import sys


def test_compose_and_schedule_import_no_slack():
    code = ("import sys, briefings.compose, briefings.schedule, briefings.store; "
            "print(sorted(m for m in sys.modules if m.startswith(('slack', 'spacy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
