import logging

from django.core.management.base import BaseCommand

from bench import export_bench


class Command(BaseCommand):
    help = (
        "The people export of the largest synthetic organisation, identity included: time "
        "(median of --repeat runs) and peak memory of the streamed export beside the way it was "
        "built before. Run on a database filled by generate_network (e.g. `make bench-export`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 40_000])
        parser.add_argument("--no-before", action="store_true", help="skip the old way")
        parser.add_argument("--only", nargs="*", help="measurements whose name holds one of these")

    def handle(self, *args, repeat, sizes, no_before, only, **options):
        logging.disable(logging.WARNING)
        export_bench.run(repeat, sizes, write=self.stdout.write, legacy=not no_before, only=only)
