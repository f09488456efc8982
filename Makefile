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
