"""Everything shown about one ward × indicator, assembled once for the pages and the exports.

The pages read one ward × indicator at a time and the exports read a whole
selection in bulk; both hand the rows they read to `indicator_bundle`, so
the detail page, the progress chart, the deck's slide and the chart image
are built from the same series and cite the same sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wardplan.display.format import document_titles
from wardplan.display.progress import actuals_up_to, progress_series
from wardplan.rules.periods import period_sort_key


@dataclass(frozen=True)
class IndicatorBundle:
    history: pd.DataFrame  # status rows at every period of the year
    scenario: pd.DataFrame  # v_scenario rows
    actuals: pd.DataFrame  # v_actuals rows
    targets: pd.DataFrame  # v_targets rows of the plan year
    series: pd.DataFrame  # progress_series for the whole year

    def series_as_of(self, as_of: str) -> pd.DataFrame:
        """The series without figures reported after `as_of`."""
        return actuals_up_to(self.series, as_of)

    def status_at(self, as_of: str) -> pd.Series | None:
        rows = self.history[self.history["as_of"] == as_of]
        return rows.iloc[0] if not rows.empty else None

    def actuals_up_to(self, as_of: str) -> pd.DataFrame:
        """Reported rows up to `as_of`, oldest first."""
        limit = period_sort_key(as_of)
        keep = self.actuals["period"].map(lambda p: period_sort_key(p) <= limit)
        rows = self.actuals[keep.astype(bool)] if not self.actuals.empty else self.actuals
        return rows.sort_values("period", key=lambda s: s.map(period_sort_key))

    def chart_sources(self, as_of: str | None = None) -> dict[str, list[str]]:
        """Short source names in the shape `charts.progress_chart` takes."""
        actuals = self.actuals_up_to(as_of) if as_of else self.actuals
        return {
            "actual": document_titles(actuals.dropna(subset=["value"])["source_ref"]),
            "target": document_titles(self.targets["source_ref"]),
        }


def indicator_bundle(history: pd.DataFrame, scenario: pd.DataFrame, actuals: pd.DataFrame,
                     targets: pd.DataFrame, kind: str | None, year: int) -> IndicatorBundle:
    """The rows read for one ward × indicator × plan year, and the series they give."""
    in_year = targets[targets["year"] == year] if "year" in targets else targets
    return IndicatorBundle(history, scenario, actuals, in_year,
                           progress_series(history, scenario, year, kind))
