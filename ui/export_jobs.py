"""The export page's buttons: each file is made by the worker (`exports.jobs`), not here.

"Tạo …" submits a job; while it waits or runs, its progress line redraws itself every
second (a fragment, so the rest of the page does not rerun), and when it ends the page
offers the file ("Tải …") or says why it failed (a short message with an error id).  A
job belongs to the session that asked for it and to the selection it was asked with:
change the period, the wards or the indicators and the button offers a new file.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st

from exports import jobs
from ui import components

POLL_SECONDS = 1.0
_STATE = "export_jobs"  # session state: {kind: job id}
_OWNER = "export_owner"  # session state: this session's token, the owner of its jobs
_BUSY = "export_busy"  # session state: the queue was full when a file was asked for


@dataclass(frozen=True)
class Button:
    kind: str
    create: str  # "Tạo trình chiếu (.pptx)"
    download: str  # "Tải trình chiếu (.pptx)"
    file_name: str
    mime: str
    icon: str
    help: str


@st.cache_resource(show_spinner=False)
def exporter() -> jobs.Exporter:
    """One worker queue for the server process: exports run one at a time beside it."""
    return jobs.Exporter()


def panel(buttons: list[Button], requests: dict[str, jobs.Request]) -> None:
    """The buttons and the state of this session's exports for the current selection.

    The buttons and the downloads are drawn by the page, which only reruns when the
    reader acts (or a job ends): a click never races a timer.  Only the progress lines
    are in a fragment that redraws itself every second while a job is queued or running.
    """
    current = _current(requests)
    _buttons(buttons, requests, current)
    live = {kind for kind, (_, state) in current.items() if state in (jobs.QUEUED, jobs.RUNNING)}
    for button in buttons:
        job, state = current.get(button.kind, (None, None))
        if state == jobs.DONE:
            st.download_button(button.download, data=job.read, file_name=button.file_name,
                               mime=button.mime, key=f"export_download_{button.kind}",
                               on_click="ignore", icon=":material/download:", type="primary")
        elif state == jobs.FAILED:
            st.error(job.message_vi, icon=":material/error:")
    if live:
        _progress(buttons, requests, frozenset(live))


def _owner() -> str:
    if _OWNER not in st.session_state:
        st.session_state[_OWNER] = secrets.token_hex(16)
    return st.session_state[_OWNER]


def _current(requests: dict[str, jobs.Request]) -> dict[str, tuple[jobs.Job, str]]:
    """This session's jobs that match the selection on screen, each with its state read
    once for this run (others are dropped, a running one stopped)."""
    mine = st.session_state.setdefault(_STATE, {})
    found = {}
    for kind, job_id in list(mine.items()):
        job = exporter().job(job_id, _owner())
        if job is None or job.request != requests.get(kind):
            exporter().discard(job_id, _owner())
            del mine[kind]
        else:
            found[kind] = (job, job.state)
    return found


def _buttons(buttons: list[Button], requests: dict[str, jobs.Request],
             current: dict[str, tuple[jobs.Job, str]]) -> None:
    with st.container(horizontal=True, gap="small", key="export-buttons"):
        for i, button in enumerate(buttons):
            _, state = current.get(button.kind, (None, None))
            st.button(button.create, key=f"export_{button.kind}", icon=button.icon,
                      type="primary" if i == 0 else "secondary", help=button.help,
                      disabled=state in (jobs.QUEUED, jobs.RUNNING),
                      on_click=_ask, args=(button.kind, requests[button.kind]))
    busy = st.session_state.pop(_BUSY, None)
    if busy:
        st.warning(busy, icon=":material/hourglass_top:")


def _ask(kind: str, request: jobs.Request) -> None:
    """A button's callback: it runs before the rerun its click starts, so a job is asked
    for even when a second click, on another button, interrupts that rerun."""
    mine = st.session_state.setdefault(_STATE, {})
    exporter().discard(mine.pop(kind, None), _owner())
    try:
        mine[kind] = exporter().submit(request, _owner()).id
    except jobs.Busy as error:
        st.session_state[_BUSY] = error.message_vi


@st.fragment(run_every=POLL_SECONDS)
def _progress(buttons: list[Button], requests: dict[str, jobs.Request],
              live: frozenset[str]) -> None:
    """The progress of the jobs `live` when the page was drawn; once one of them ends, the
    page is drawn again, with its download or its failure."""
    current = _current(requests)
    for button in buttons:
        if button.kind not in live:
            continue
        job, state = current.get(button.kind, (None, None))
        if state not in (jobs.QUEUED, jobs.RUNNING):
            st.rerun()
        name = jobs.KINDS[button.kind][0]
        # A queued job with nothing ahead is being picked up: it shows as started.
        if state == jobs.QUEUED and (ahead := exporter().ahead_of(job)):
            st.progress(0.0, text=f"Đang chờ tạo {name}: {ahead} tệp khác đang được tạo "
                                  "trước, tệp này sẽ được tạo ngay sau đó.")
        else:
            done, text = job.progress()
            step = f": {components.md_escape(text)}" if text else ""  # names come from data
            st.progress(min(max(done, 0.0), 1.0), text=f"Đang tạo {name} ({done:.0%}){step}")
