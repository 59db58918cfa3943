import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import benchmark


class Command(BaseCommand):
    help = (
        "Per page: status, query count, median and p95 server time; then the 2021-2023 "
        "indicator figures from the app beside hand-written SQL over the raw rows. Run on a "
        "database filled by generate_network (e.g. `make bench`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--only", nargs="*", help="pages whose name contains one of these")

    def handle(self, *args, repeat, only, **options):
        if not settings.DEBUG:
            raise CommandError("The benchmark logs in as the synthetic users: run it with DEBUG.")
        # Logins and refused hosts would log a line per request between the figures.
        logging.disable(logging.WARNING)
        benchmark.run(repeat, write=self.stdout.write, only=only)
