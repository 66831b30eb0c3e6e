"""`python -m cybercrime_kg.cli`: the same as the `cybercrime-kg` command."""

import sys

from cybercrime_kg.cli import main

sys.exit(main())
