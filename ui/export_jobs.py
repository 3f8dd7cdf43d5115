"""The export page's buttons: each file is made by the worker (`exports.jobs`), not here.

"Tạo …" submits a job and the panel then redraws itself every second (a fragment, so
the rest of the page does not rerun) with the job's progress, until the file can be
downloaded ("Tải …") or the job failed (a short message with an error id).  A job
belongs to the session that asked for it and to the selection it was asked with:
change the period, the wards or the indicators and the button offers a new file.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from exports import jobs
from ui import components

POLL_SECONDS = 1.0
_STATE = "export_jobs"  # session state: {kind: job id}


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
    live = any(job.active for job in _current(requests).values())
    (_live if live else _idle)(buttons, requests)


def _current(requests: dict[str, jobs.Request]) -> dict[str, jobs.Job]:
    """This session's jobs that match the selection on screen (others are dropped)."""
    mine = st.session_state.setdefault(_STATE, {})
    found = {}
    for kind, job_id in list(mine.items()):
        job = exporter().job(job_id)
        if job is None or job.request != requests.get(kind):
            exporter().discard(job_id)
            del mine[kind]
        else:
            found[kind] = job
    return found


@st.fragment(run_every=POLL_SECONDS)
def _live(buttons: list[Button], requests: dict[str, jobs.Request]) -> None:
    if not _draw(buttons, requests):
        st.rerun()  # all done: redraw the page once, without the timer


@st.fragment
def _idle(buttons: list[Button], requests: dict[str, jobs.Request]) -> None:
    _draw(buttons, requests)


def _draw(buttons: list[Button], requests: dict[str, jobs.Request]) -> bool:
    """Draw the panel; True while one of the jobs is still queued or running."""
    current = _current(requests)
    with st.container(horizontal=True, gap="small", key="export-buttons"):
        for i, button in enumerate(buttons):
            job = current.get(button.kind)
            if st.button(button.create, key=f"export_{button.kind}", icon=button.icon,
                         type="primary" if i == 0 else "secondary", help=button.help,
                         disabled=job is not None and job.active):
                exporter().discard(job.id if job else None)
                new = exporter().submit(requests[button.kind])
                st.session_state[_STATE][button.kind] = new.id
                st.rerun()  # the whole page, so the panel starts polling
    active = False
    for button in buttons:
        job = current.get(button.kind)
        if job is None:
            continue
        name = jobs.KINDS[button.kind][0]
        if job.state == jobs.QUEUED:
            active = True
            ahead = exporter().ahead_of(job)
            st.progress(0.0, text=f"Đang chờ tạo {name}: {ahead} tệp khác đang được tạo trước.")
        elif job.state == jobs.RUNNING:
            active = True
            done, text = job.progress()
            step = f": {components.md_escape(text)}" if text else ""  # names come from data
            st.progress(min(max(done, 0.0), 1.0), text=f"Đang tạo {name} ({done:.0%}){step}")
        elif job.state == jobs.DONE:
            st.download_button(button.download, data=job.read, file_name=button.file_name,
                               mime=button.mime, key=f"export_download_{button.kind}",
                               on_click="ignore", icon=":material/download:", type="primary")
        else:
            st.error(job.message_vi, icon=":material/error:")
    return active


MIME = {"deck": components.PPTX_MIME, "pdf": components.PDF_MIME,
        "workbook": components.XLSX_MIME, "csv": "text/csv"}
