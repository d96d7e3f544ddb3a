"""Benchmarks of the portal (not tests): `make bench` (bench/run.py) and `make bench-load`
(bench/load.py, with the bare-bones anchors of bench/bare.py)."""
