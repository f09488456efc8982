"""`python -m model.batch experiment FILE` / `report DIR`: the batch commands on their own."""

import sys

from .cli import main

sys.exit(main())
