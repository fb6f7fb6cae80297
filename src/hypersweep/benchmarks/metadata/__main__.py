"""``python -m hypersweep.benchmarks.metadata --out DIR``: build the HPO-B-format meta-datasets."""
from hypersweep.benchmarks.metadata.build import main

raise SystemExit(main())
