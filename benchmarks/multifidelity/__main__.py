"""``python -m benchmarks.multifidelity``: see :mod:`benchmarks.multifidelity.cli`."""
from benchmarks.multifidelity.cli import main

raise SystemExit(main())
