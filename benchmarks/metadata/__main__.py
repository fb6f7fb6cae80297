"""``python -m benchmarks.metadata --out DIR``: build the HPO-B-format meta-datasets."""
from benchmarks.metadata.build import main

raise SystemExit(main())
