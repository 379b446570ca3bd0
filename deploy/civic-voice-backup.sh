#!/usr/bin/env bash
# Daily backup of Civic Voice (docs/deploy.md, "Backups"): run by civic-voice-backup.timer as root.
# With DATABASE_URL in the env file: pg_dump -Fc of the database while the app runs, and the
#   uploaded files (DATA_DIR/files).
# Without it (embedded database): the service is stopped for the copy of DATA_DIR (pglite/ and
#   files/ together, so they agree), then started again: about a minute of downtime at night.
# Keeps KEEP_DAYS (14) days of backups in BACKUP_DIR (/var/backups/civic-voice).
set -euo pipefail

ENV_FILE=${ENV_FILE:-/etc/civic-voice/env}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/civic-voice}
KEEP_DAYS=${KEEP_DAYS:-14}
SERVICE=${SERVICE:-civic-voice.service}
# pg_dump connects as the app's system user (peer authentication on the local socket)
APP_USER=${APP_USER:-civicvoice}

# only the two settings this script needs, without running the env file as a script
setting() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1 | sed "s/^[\"']//; s/[\"']\$//"; }
DATABASE_URL=$(setting DATABASE_URL)
DATA_DIR=$(setting DATA_DIR)
DATA_DIR=${DATA_DIR:-/var/lib/civic-voice}

stamp=$(date +%Y-%m-%dT%H%M)
umask 077
mkdir -p "$BACKUP_DIR"
# files/ appears with the first upload
parts() { for part in "$@"; do [ -e "$DATA_DIR/$part" ] && echo "$part"; done; }

if [ -n "$DATABASE_URL" ]; then
	runuser -u "$APP_USER" -- pg_dump --format=custom "$DATABASE_URL" >"$BACKUP_DIR/db-$stamp.dump.part"
	mv "$BACKUP_DIR/db-$stamp.dump.part" "$BACKUP_DIR/db-$stamp.dump"
	# shellcheck disable=SC2046
	tar -C "$DATA_DIR" -czf "$BACKUP_DIR/files-$stamp.tar.gz.part" $(parts files) --files-from=/dev/null
	mv "$BACKUP_DIR/files-$stamp.tar.gz.part" "$BACKUP_DIR/files-$stamp.tar.gz"
else
	systemctl stop "$SERVICE"
	trap 'systemctl start "$SERVICE"' EXIT
	# shellcheck disable=SC2046
	tar -C "$DATA_DIR" -czf "$BACKUP_DIR/data-$stamp.tar.gz.part" $(parts pglite files)
	mv "$BACKUP_DIR/data-$stamp.tar.gz.part" "$BACKUP_DIR/data-$stamp.tar.gz"
fi

find "$BACKUP_DIR" -maxdepth 1 -type f \( -name '*.dump' -o -name '*.tar.gz' \) \
	-mtime +"$KEEP_DAYS" -delete
echo "backup $stamp written to $BACKUP_DIR"
