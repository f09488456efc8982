# Every target bootstraps .venv on first use (Python 3.12+ is found by scripts/find-python.sh).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCENARIO ?= scenarios/china_2017.toml

.PHONY: run test docs figure clean

run: $(STAMP)  ## run the 2017 China scenario: figure, summary, headline table
	$(VENV)/bin/pressure run $(SCENARIO)

test: $(STAMP)  ## the whole test suite
	$(PY) -m pytest -q

docs: $(STAMP)  ## regenerate docs/parameters.md from the schema
	$(VENV)/bin/pressure params --markdown > docs/parameters.md

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) results/runs

figure: $(STAMP)  ## refresh the README's figure of the 2017 scenario
	$(VENV)/bin/pressure run scenarios/china_2017.toml --out results/runs/readme-figure
	cp results/runs/readme-figure/figure.png docs/figures/china_2017.png

VIZ_HOST ?= 127.0.0.1
VIZ_PORT ?= 8765

.PHONY: viz screenshot

viz: $(STAMP)  ## the interactive app at http://$(VIZ_HOST):$(VIZ_PORT) (SCENARIO=..., VIZ_HOST=..., VIZ_PORT=...)
	$(VENV)/bin/pressure viz --scenario $(SCENARIO) --host $(VIZ_HOST) --port $(VIZ_PORT)

screenshot: $(STAMP)  ## refresh docs/figures/app.png, the README's picture of the app (headless Chromium)
	.ci/install-browser
	$(PY) -m model.viz.screenshot docs/figures/app.png

BENCH_ARGS ?=

.PHONY: bench

bench: $(STAMP)  ## benchmarks: 10k/100k/1M users x 365 days, per-agent ratio, 1 vs 2 workers -> results/benchmarks/latest.json (BENCH_ARGS="--sizes 10000 --repeats 3", "--quick", "--profile 100000")
	$(PY) -m benchmarks.bench $(BENCH_ARGS)
