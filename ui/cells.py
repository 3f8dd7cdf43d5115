"""A table's cells as Markdown, escaped once: where the view they show is cached, not on
every rerun.

st.table reads every cell as Markdown, so text from the data is escaped, links and
badges are ours.  `prepare` makes the table st.table draws (an Arrow table, as
st.table would convert the frame itself) and the full source references listed under
it.  The detail page's tables were a third of its warm rerun (114 units): escaping the
cells, framing them, and converting the frame again, every rerun of every session.
Nothing here draws or reads the database (the caller gives the source labels): a view's
cached function prepares its table, the page draws it (`components.draw_table`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
from streamlit import dataframe_util

from wardplan.display.format import SourceLabels
from wardplan.display.styles import STATUS_STYLES, status_text
from wardplan.rules.missing import is_missing, text_or
from wardplan.rules.scenario import PROVISIONAL_VI

# Streamlit's own badge palette, re-coloured to Okabe-Ito in .streamlit/config.toml.
_BADGE_COLOURS = {"green": "blue", "amber": "orange", "red": "red", "grey": "gray"}
# Markdown (and Streamlit's :color[…] / :icon: directives, $ for LaTeX) must
# not act on text that came from a workbook.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:^&])")
# GitHub-flavoured Markdown turns 'http://…', 'www.…' and 'a@b.c' into links even
# when escaped (it looks for them in the text after escapes are read).  An
# invisible word joiner after the scheme, the 'www' or the '@' keeps them plain.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<![^\W_])(?:https?(?=:)|www(?=\.))|@(?=[-\w])")
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Text from the data, safe to embed in st.markdown / st.caption: no formatting, no links."""
    return _escaped(text_or(text))


# Every rerun of every session escapes the same texts again (the phone lists, the
# attention items): each text is escaped once, the most recent some 30 000 kept.
@functools.lru_cache(maxsize=2**15)
def _escaped(text: str) -> str:
    plain = _AUTOLINK_STARTS.sub(lambda m: m.group(0) + WORD_JOINER, text)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", plain)


def badge_markdown(status: str | None, reason: object = None) -> str:
    """An inline badge for st.markdown; the label is ours, never data."""
    status = status if status in STATUS_STYLES else "grey"
    return f":{_BADGE_COLOURS[status]}-badge[{status_text(status, reason)}]"


def counts_markdown(counts) -> str:
    """A `display.board.Counts` cell as status badges, '▼ 3 ▲ 18 ○ 8', with the
    provisional among them said; a zero is a plain 0, no status an empty cell.  Numbers
    and symbols of ours: nothing to escape."""
    badges = " ".join(f":{_BADGE_COLOURS[s]}-badge[{STATUS_STYLES[s].symbol} {n}]" if n else "0"
                      for s, n in counts.by_status.items())
    return badges + (f" ({counts.provisional} {PROVISIONAL_VI})" if counts.provisional else "")


@dataclass(frozen=True, eq=False)  # by identity: an Arrow table has no hash
class Prepared:
    """A table ready for st.table: its cells escaped and framed, rows numbered from 1 (shown
    when `numbered`), and the full source reference of each row that has one."""

    cells: pa.Table | None  # None: no rows, nothing to draw
    columns: tuple[str, ...]
    notes: tuple[str, ...]
    numbered: bool

    @property
    def rows(self) -> int:
        return 0 if self.cells is None else self.cells.num_rows


def prepare(frame: pd.DataFrame, *, sources: Sequence[str] = (),
            labels: SourceLabels | None = None, numbered: bool | None = None,
            links: dict[str, str] | None = None, linked: dict[str, str] | None = None,
            markup: Sequence[str] = ()) -> Prepared:
    """`frame` as st.table shows it.  Columns named in `sources` show the short form of
    each reference (document and place, from `labels`); the full reference of every row
    is listed by row number (`notes`).  Columns in `links` hold URLs we built
    (`format.detail_link`) and show as links with the given text; columns in `linked` show
    their own text as a link to the URL in the named column (which is not shown);
    Streamlit's Markdown opens such links in a new tab.  Columns in `markup` are Markdown
    we built from our own words and numbers (status badges) and are not escaped.  Rows are
    numbered where a row has a full reference, unless `numbered` says otherwise."""
    if sources and labels is None:
        raise ValueError("source columns need the source labels")
    cells, notes = _cells(frame, sources, labels, links or {}, linked or {}, markup)
    numbered = any(notes.values()) if numbered is None else numbered
    table = None
    if len(frame):
        escaped = pd.DataFrame(cells, columns=list(cells),
                               index=pd.RangeIndex(1, len(frame) + 1))
        # Converted as st.table converts a frame (mixed columns made text), once.
        table = dataframe_util.convert_pandas_df_to_arrow_table(escaped)
    return Prepared(table, tuple(cells), tuple(line for lines in notes.values() for line in lines),
                    numbered)


def _cells(frame: pd.DataFrame, sources: Sequence[str], labels: SourceLabels | None,
           links: dict[str, str], linked: dict[str, str],
           markup: Sequence[str]) -> tuple[dict[str, list], dict[str, list[str]]]:
    """Each shown column's cells as Markdown, and each source column's full references,
    one Markdown line per row that has one.  Built column by column in plain lists:
    pandas' per-column assignment costs more than the cells."""
    hidden = set(linked.values())
    notes: dict[str, list[str]] = {}
    cells: dict[str, list] = {}
    for column in (c for c in frame.columns if c not in hidden):
        values = frame[column].tolist()
        if column in sources:
            notes[column] = [f"{i + 1}\\. {md_escape(labels.full(ref))}  "
                             for i, ref in enumerate(values) if text_or(ref)]
            values = [labels.short(ref) if text_or(ref) else "" for ref in values]
        if column in links:
            cells[column] = [f"[{links[column]}]({safe_url(url)})" if text_or(url) else ""
                             for url in values]
            continue
        if column not in markup:
            values = [_cell_markdown(v) for v in values]
        if column in linked:
            values = [f"[{cell}]({safe_url(url)})" if text_or(url) and cell else cell
                      for cell, url in zip(values, frame[linked[column]].tolist(), strict=True)]
        cells[column] = values
    return cells, notes


def _cell_markdown(value: object) -> object:
    if is_missing(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # numbers stay numbers (right-aligned, nothing to escape)
    return md_escape(value)


def prepare_board(view, *, numbered: bool = False) -> Prepared:
    """A `display.board.TableView`: counts as badges, links on the named columns."""
    frame = view.text.copy()
    for column in view.counts:
        frame[column] = frame[column].map(counts_markdown)
    return prepare(frame, numbered=numbered, linked=view.links, markup=view.counts)


def safe_url(url: str) -> str:
    """A relative URL of ours; anything that could end the Markdown link is encoded."""
    return quote(str(url), safe="/?=&%-_.~")
