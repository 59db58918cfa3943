from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Synthetic data at national scale, the benchmark and the load test (not in `make test`)."""

    name = "bench"
    verbose_name = "Benchmark"
