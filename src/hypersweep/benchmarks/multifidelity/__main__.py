"""``python -m hypersweep.benchmarks.multifidelity``: see :mod:`hypersweep.benchmarks.multifidelity.cli`."""
from hypersweep.benchmarks.multifidelity.cli import main

raise SystemExit(main())
