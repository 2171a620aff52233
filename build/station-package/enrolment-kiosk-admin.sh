#!/bin/sh
# /usr/bin/enrolment-kiosk-admin: the kiosk's command line (verify, bundle, import, report) on the Node.js this package carries.
# Its usage lines name the command as the operator typed it, not the bundle's path.
KIOSK_ADMIN_COMMAND="${0##*/}"
export KIOSK_ADMIN_COMMAND
exec /usr/lib/enrolment-kiosk/node /usr/lib/enrolment-kiosk/app/out/admin/cli.mjs "$@"
