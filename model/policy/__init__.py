"""Policy analysis on finished experiments: which inputs give the runs of interest
(scenario discovery) and free questions in SQL.

- `discovery.py`       PRIM and CART (EMA Workbench's) on inputs and a yes/no outcome
- `discovery_page.py`  `pressure discover`: an experiment folder in, a page with tables out
- `query.py`           `pressure query`: DuckDB views over an experiment folder's tables
- `cli.py`             the two commands
"""
