"""Named moments in a write where the tests kill the ETL with `kill -9`.

Every write is built so that a crash at any moment leaves either the old or
the new state; the crash tests prove it at these exact moments.  With
`CHITIEU_ETL_PAUSE_AT=<name>` in the environment the process announces
`PAUSED <name>` on stderr when it gets there and waits to be killed.  Without
the variable `reached` does nothing.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_ENV = "CHITIEU_ETL_PAUSE_AT"


def reached(name: str) -> None:
    if os.environ.get(PAUSE_ENV) != name:
        return
    sys.stderr.write(f"PAUSED {name}\n")
    sys.stderr.flush()
    while True:
        time.sleep(60)
