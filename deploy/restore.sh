#!/bin/sh
# Restore a backup into an EMPTY database: DATABASE_URL=... deploy/restore.sh FILE
# All or nothing (one transaction). Then, with the keys of the backup's time in
# FIELD_ENCRYPTION_KEYS, `python manage.py health` must say "ok": it proves the keys decrypt
# the restored data. Compare a report with the one from before (README, "Backups").
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
input="${1:?usage: deploy/restore.sh FILE}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$input"
python manage.py migrate --noinput
python manage.py health
