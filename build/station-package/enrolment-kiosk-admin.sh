#!/bin/sh
# /usr/bin/enrolment-kiosk-admin: the kiosk's command line (verify, bundle, import, report) on the Node.js this package carries.
exec /usr/lib/enrolment-kiosk/node /usr/lib/enrolment-kiosk/app/out/admin/cli.mjs "$@"
