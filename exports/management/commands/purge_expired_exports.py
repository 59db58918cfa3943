from django.core.management.base import BaseCommand

from exports.services import purge_expired_exports


class Command(BaseCommand):
    help = "Delete the files of export jobs whose download link has expired (run it hourly)."

    def handle(self, *args, **options):
        count = purge_expired_exports()
        self.stdout.write(f"{count} expired export file(s) deleted.")
