"""python -m imbalance.cli"""

import sys

from ._main import main

sys.exit(main())
