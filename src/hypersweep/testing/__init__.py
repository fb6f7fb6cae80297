"""Reusable conformance suites for hypersweep's extension points (they need pytest).

- ``hypersweep.testing.storage_suite.StorageSuite``: every invariant of the Storage contract.
- ``hypersweep.testing.storage_workers``: worker processes for storage concurrency tests.
- ``hypersweep.testing.postgres``: a throw-away PostgreSQL schema per test.
- ``hypersweep.testing.algorithm_suite.AlgorithmSuite``: the algorithm contract.
- ``hypersweep.testing.processes``: environments for tests that start hypersweep in a subprocess.
"""
