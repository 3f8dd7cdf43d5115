"""The export page's buttons: each file is made by the worker (`exports.jobs`), not here.

"Tạo …" submits a job and the panel then redraws itself every second (a fragment, so
the rest of the page does not rerun) with the job's progress, until the file can be
downloaded ("Tải …") or the job failed (a short message with an error id).  A job
belongs to the session that asked for it and to the selection it was asked with:
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
    """The buttons and the state of this session's exports for the current selection."""
    live = any(state in (jobs.QUEUED, jobs.RUNNING) for _, state in _current(requests).values())
    (_live if live else _idle)(buttons, requests)


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


@st.fragment(run_every=POLL_SECONDS)
def _live(buttons: list[Button], requests: dict[str, jobs.Request]) -> None:
    current = _current(requests)
    finished = not any(state in (jobs.QUEUED, jobs.RUNNING) for _, state in current.values())
    # The buttons are drawn either way, so a click made during this run is not lost.
    _draw(buttons, requests, current, offer=not finished)
    if finished:
        # All done: redraw the page once, without the timer.  Its download buttons are
        # drawn there, not here, where that rerun would replace them under a click.
        st.rerun()


@st.fragment
def _idle(buttons: list[Button], requests: dict[str, jobs.Request]) -> None:
    _draw(buttons, requests, _current(requests))


def _draw(buttons: list[Button], requests: dict[str, jobs.Request],
          current: dict[str, tuple[jobs.Job, str]], offer: bool = True) -> None:
    """Draw the buttons and, under them, each job's progress, download or failure."""
    busy = None
    with st.container(horizontal=True, gap="small", key="export-buttons"):
        for i, button in enumerate(buttons):
            job, state = current.get(button.kind, (None, None))
            if st.button(button.create, key=f"export_{button.kind}", icon=button.icon,
                         type="primary" if i == 0 else "secondary", help=button.help,
                         disabled=state in (jobs.QUEUED, jobs.RUNNING)):
                exporter().discard(job.id if job else None, _owner())
                st.session_state[_STATE].pop(button.kind, None)
                try:
                    new = exporter().submit(requests[button.kind], _owner())
                except jobs.Busy as error:
                    busy = error.message_vi
                else:
                    st.session_state[_STATE][button.kind] = new.id
                    st.rerun()  # the whole page, so the panel starts polling
    if busy:
        st.warning(busy, icon=":material/hourglass_top:")
    for button in buttons:
        job, state = current.get(button.kind, (None, None))
        if job is None or button.kind not in st.session_state[_STATE]:
            continue  # none, or just discarded for a new one the queue had no room for
        name = jobs.KINDS[button.kind][0]
        if state == jobs.QUEUED:
            ahead = exporter().ahead_of(job)
            st.progress(0.0, text=f"Đang chờ tạo {name}: {ahead} tệp khác đang được tạo "
                                  "trước, tệp này sẽ được tạo ngay sau đó.")
        elif state == jobs.RUNNING:
            done, text = job.progress()
            step = f": {components.md_escape(text)}" if text else ""  # names come from data
            st.progress(min(max(done, 0.0), 1.0), text=f"Đang tạo {name} ({done:.0%}){step}")
        elif state == jobs.DONE and not offer:
            st.progress(1.0, text=f"Đã tạo xong {name}.")
        elif state == jobs.DONE:
            st.download_button(button.download, data=job.read, file_name=button.file_name,
                               mime=button.mime, key=f"export_download_{button.kind}",
                               on_click="ignore", icon=":material/download:", type="primary")
        else:
            st.error(job.message_vi, icon=":material/error:")
