"""Files Sitrep posts in Slack: a chart of key figures (PNG) and a topic's claims (CSV).

Each is uploaded with slack_sdk's `files_upload_v2` (files.getUploadURLExternal, the upload,
files.completeUploadExternal; the bot scope `files:write`) and shared in a channel, or in a
message's thread. Slack has no ephemeral files: a file is seen by everyone in the channel.
Drawing imports matplotlib, so these run in a lazy listener or the worker, never on the ack path.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from briefings.chart_data import ChartData

__all__ = ["UploadFailed", "post_chart", "post_csv", "upload"]

logger = logging.getLogger(__name__)

# What a refused upload means, with the remedy (the error code is added in brackets).
_WORDS = {
    "not_in_channel": "I am not in this channel — invite me with /invite @Sitrep",
    "channel_not_found": "I cannot post files here (a private channel or a direct message "
                         "without me) — invite me with /invite @Sitrep",
    "missing_scope": "the app lacks the files:write scope — reinstall it from "
                     "config/slack-manifest.yml",
    "file_uploads_disabled": "this workspace does not allow file uploads",
    "file_uploads_except_images_disabled": "this workspace allows images only",
    "is_archived": "the channel is archived",
}


class UploadFailed(Exception):
    """Slack did not take the file; the message says why, and what to do, in words."""


def upload(client: WebClient, *, channel: str, data: bytes, filename: str, title: str,
           alt: str | None = None, comment: str | None = None,
           thread_ts: str | None = None) -> str:
    """Upload `data` and share it in `channel` (in `thread_ts`'s thread when given); the
    file's id. Raises UploadFailed."""
    try:
        response = client.files_upload_v2(
            channel=channel, file=data, filename=filename, title=title, alt_txt=alt,
            initial_comment=comment, thread_ts=thread_ts,
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc.response.status_code)
        raise UploadFailed(f"{_WORDS.get(error, 'Slack refused the file')} ({error})") from exc
    except (SlackClientError, OSError) as exc:
        raise UploadFailed(f"Slack could not be reached ({type(exc).__name__})") from exc
    file = response.get("file") or (response.get("files") or [{}])[0]
    return str(file.get("id") or "")


def post_chart(client: WebClient, chart: ChartData, *, channel: str,
               comment: str | None = None, thread_ts: str | None = None) -> str | None:
    """Draw `chart` and share it; None (nothing posted) when it has nothing to draw."""
    if chart.empty:
        return None
    from bot.render.chart import render_chart

    rendered = render_chart(chart)
    logger.info("chart of %s: %d panels, %d bytes", chart.topic, len(chart.panels),
                len(rendered.png))
    return upload(client, channel=channel, data=rendered.png, filename=rendered.filename,
                  title=f"Key figures: {chart.topic}", alt=rendered.alt, comment=comment,
                  thread_ts=thread_ts)


def post_csv(client: WebClient, text: str, *, channel: str, filename: str, title: str,
             comment: str | None = None) -> str:
    """Share a CSV (with a byte-order mark, so spreadsheets read it as UTF-8)."""
    return upload(client, channel=channel, data=text.encode("utf-8-sig"), filename=filename,
                  title=title, comment=comment)
