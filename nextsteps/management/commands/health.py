from django.core.management.base import BaseCommand, CommandError

from nextsteps.health import failed_checks


class Command(BaseCommand):
    help = (
        "Check what /health/ checks (database, migrations, encryption keys against the canary): "
        "prints ok, or fails naming the checks that fail. For monitoring and restore drills."
    )

    def handle(self, *args, **options):
        failed = failed_checks()
        if failed:
            raise CommandError(f"unavailable: {', '.join(failed)}")
        self.stdout.write("ok")
