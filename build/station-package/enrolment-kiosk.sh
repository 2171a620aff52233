#!/bin/sh
# /usr/bin/enrolment-kiosk: the browser-shell kiosk (launch, the default, or serve) on the Node.js this package carries.
set -e
# The kiosk account's log is the station's data folder; any other account keeps its own per-user folder.
if [ -z "${KIOSK_DATA_DIR:-}" ] && [ "$(id -un)" = enrolment-kiosk ]; then
  KIOSK_DATA_DIR=/var/lib/enrolment-kiosk
  export KIOSK_DATA_DIR
fi
exec /usr/lib/enrolment-kiosk/node /usr/lib/enrolment-kiosk/app/out/browser-shell/cli.mjs "$@"
