"""Benchmarks and reports: accuracy against recorded corpora (``python -m bench.accuracy``)."""
