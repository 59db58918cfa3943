#!/bin/sh
# Back up the database: deploy/backup.sh FILE
# A PostgreSQL custom-format dump of DATABASE_URL, readable by its owner only. It holds
# personal data encrypted with FIELD_ENCRYPTION_KEYS, which it does NOT contain: keep the keys
# in the secret store, never beside the dump. Encrypt the file before it leaves the server
# (README, "Backups").
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the production database}"
output="${1:?usage: deploy/backup.sh FILE}"
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$output" "$DATABASE_URL"
echo "Backed up to $output"
