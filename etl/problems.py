"""Problems found in input files: what a user must fix before a load can happen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    cell: str
    reason_vi: str

    def __str__(self) -> str:
        where = " › ".join(part for part in (self.file, self.sheet, self.cell) if part)
        return f"{where}: {self.reason_vi}"


class Refused(Exception):
    """Any refusal a user sees: `report_vi()` says why, in Vietnamese; nothing was changed."""

    def report_vi(self) -> str:
        raise NotImplementedError


class BuildFailed(Refused):
    """Raised when any input has problems; nothing is loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in input files")

    def report_vi(self) -> str:
        lines = [f"Không nạp dữ liệu: phát hiện {len(self.problems)} lỗi. "
                 "Cơ sở dữ liệu hiện tại được giữ nguyên."]
        lines += [f"- {p}" for p in self.problems]
        return "\n".join(lines)
