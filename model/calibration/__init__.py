"""Tying the model to the record: moments with observation error (moments.py), fitted by
ABC-SMC (smc.py, fit.py), checked by parameter recovery (recovery.py) and by a posterior
predictive validation (validation.py) against held-out 2017 patterns (targets.py) and other
countries' cases (model/cases). Submodules load on use: `pressure --help` need not import
pandas."""
