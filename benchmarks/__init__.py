"""Benchmarks: the harness (`bench.py`) and the per-agent Mesa reference (`per_agent.py`).

Run from the repository root: `python -m benchmarks.bench` (or `make bench`).
"""
