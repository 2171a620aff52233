#!/bin/sh
# npm run test:package: as root, the test runs in a mount namespace of its own where /etc/chromium/policies is a
# tmpfs, so the policies the package installs reach no other Chromium on the machine while it runs.
set -e
if [ "$(id -u)" = 0 ] && [ -d /etc/chromium ] && command -v unshare >/dev/null 2>&1; then
  made=
  if [ ! -d /etc/chromium/policies ]; then
    mkdir /etc/chromium/policies
    made=1
  fi
  status=0
  unshare -m --propagation private sh -c \
    'mount -t tmpfs -o mode=0755 tmpfs /etc/chromium/policies && exec npx vitest run --config tests/package/vitest.config.ts' || status=$?
  # An empty folder, and only if this script made it.
  if [ -n "$made" ]; then rmdir /etc/chromium/policies 2>/dev/null || true; fi
  exit "$status"
fi
exec npx vitest run --config tests/package/vitest.config.ts
