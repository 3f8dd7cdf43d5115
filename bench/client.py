"""A browser-like Streamlit client that speaks the websocket protocol, without a browser.

What a browser tab does, minus drawing: open `/_stcore/stream` (subprotocol
"streamlit"), send a `BackMsg.rerun_script` with the page's URL path and
query string, read `ForwardMsg`s until `script_finished`, and, like the
browser's message cache, report the hashes of the cacheable messages it
already holds on the next rerun (the server then sends a short `ref_hash`
instead). One interaction = one rerun, as a click on a link inside the app
(st.page_link, a link column) makes.

Checked per interaction: the run finished, no element is an exception, and
an expected text is among the rendered text (so a wrong page or an error
page is not counted as a fast answer).
"""

from __future__ import annotations

import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Answer:
    seconds: float
    bytes_received: int
    messages: int
    ok: bool
    problem: str = ""


@dataclass
class ProtocolSession:
    base_url: str  # http://127.0.0.1:PORT
    timeout: float = 120.0
    cookie: str | None = None  # e.g. nginx's sticky cookie
    cached: set[str] = field(default_factory=set)

    async def __aenter__(self) -> ProtocolSession:
        if self.cookie is None:
            self.cookie = _first_cookies(self.base_url)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self._ws = await connect(self.base_url.replace("http", "ws", 1) + "/_stcore/stream",
                                 subprotocols=["streamlit"], max_size=None, compression=None,
                                 additional_headers=headers, open_timeout=self.timeout)
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    async def rerun(self, page: str, query: str = "", expect: str | None = None) -> Answer:
        """Run `page` (its url path, "" for the default) with `query`; wait for the end."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page
        state.cached_message_hashes.extend(sorted(self.cached))
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        received = count = 0
        texts: list[str] = []
        problem = ""
        while True:
            remaining = self.timeout - (time.perf_counter() - started)
            if remaining <= 0:
                return Answer(time.perf_counter() - started, received, count, False, "timeout")
            data = await _recv(self._ws, remaining)
            if data is None:
                return Answer(time.perf_counter() - started, received, count, False, "timeout")
            received += len(data)
            count += 1
            forward = ForwardMsg()
            forward.ParseFromString(data)
            if forward.metadata.cacheable and forward.hash:
                self.cached.add(forward.hash)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    problem = f"exception: {element.exception.message[:200]}"
                elif which in ("markdown", "heading", "text", "alert"):
                    texts.append(getattr(element, which).body)
            elif kind == "page_not_found":
                problem = f"page not found: {page}"
            elif kind == "script_finished" and forward.script_finished in FINISHED:
                break
        seconds = time.perf_counter() - started
        if not problem and expect and not any(expect in t for t in texts):
            problem = f"expected text {expect!r} not shown"
        return Answer(seconds, received, count, not problem, problem)


async def _recv(ws, timeout: float) -> bytes | None:
    import asyncio

    try:
        data = await asyncio.wait_for(ws.recv(), timeout)
    except TimeoutError:
        return None
    return data if isinstance(data, bytes) else data.encode()


def _first_cookies(base_url: str) -> str:
    """The cookies a browser gets with the page itself (XSRF, nginx's sticky cookie)."""
    with urllib.request.urlopen(base_url + "/", timeout=30) as reply:
        cookies = [h.split(";", 1)[0] for h in reply.headers.get_all("Set-Cookie") or []]
    return "; ".join(cookies)
