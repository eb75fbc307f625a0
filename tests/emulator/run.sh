#!/bin/sh
# Start the cpstack AWS emulator on a free loopback port (or $EMULATOR_PORT).
# Usage: tests/emulator/run.sh [--port-file FILE] [--state-file FILE] [--log] ...
# Prints "listening on http://127.0.0.1:PORT"; exits on SIGTERM or when its
# parent process dies.  All server.py options pass through (see --help).
here=$(cd "$(dirname "$0")" && pwd)
exec /usr/bin/python3 "$here/server.py" --parent-pid "${EMULATOR_PARENT_PID:-$PPID}" "$@"
