"""Benchmark harness (issue 9): `python -m bench.run [--quick] [--only CASE...]`. See docs/PERFORMANCE.md."""
