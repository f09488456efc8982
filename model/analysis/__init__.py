"""Analysis of an experiment folder: tables with confidence intervals, figures and a report.

- `load.py`         the folder's manifest, design and tables
- `stats.py`        means and paired differences with t-intervals
- `tables.py`       a table as CSV and Markdown
- `figures.py`      matplotlib on the Agg backend, one save helper
- `sweeps.py`       outcome against each swept parameter, with 95% bands
- `timeseries.py`   daily outcomes with 95% bands per scenario (and design point)
- `contrasts.py`    each scenario against the reference: paired differences
- `sensitivity.py`  Morris (mu*, sigma) or Sobol (S1, ST) indices via SALib
- `report.py`       `write_report(folder)`: DIR/report/report.md and everything it shows
"""

from .load import ExperimentData, load_experiment_folder
from .report import write_report

__all__ = ["ExperimentData", "load_experiment_folder", "write_report"]
