"""`/usr/bin/python3 tests/emulator` runs the emulator (same as server.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402

sys.exit(server.main())
