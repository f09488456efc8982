"""Policy analysis on finished experiments: which inputs give the runs of interest
(scenario discovery), which policy holds up across what the evidence leaves open (robust
comparison) and free questions in SQL.

- `discovery.py`       PRIM and CART (EMA Workbench's) on inputs and a yes/no outcome
- `discovery_page.py`  `pressure discover`: an experiment folder in, a page with tables out
- `robust.py`          `pressure robust`: policies over the posterior's sets, regret, best share
- `query.py`           `pressure query`: DuckDB views over an experiment folder's tables
- `cli.py`             the two commands
"""
