# shellcheck shell=bash
# Shared by the scripts: find a supported Python and the virtual environment that goes with it.
# Sourced, not run. Set PYTHON=/path/to/python3.x to choose the interpreter yourself.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_works() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)' >/dev/null 2>&1; }

find_python() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  local c
  for c in python3.14 python3.13 python3; do
    if command -v "$c" >/dev/null 2>&1 && _works "$c"; then command -v "$c"; return; fi
  done
  # pyenv installs Python versions without putting them all on PATH.
  for c in "$(pyenv root 2>/dev/null)"/versions/3.1[34]*/bin/python3 "$HOME"/.pyenv/versions/3.1[34]*/bin/python3; do
    if [ -x "$c" ] && _works "$c"; then echo "$c"; return; fi
  done
  echo "No Python 3.13 or newer found; set PYTHON=/path/to/python3.13" >&2
  return 1
}

PY="$(find_python)" || exit 1
PYVER="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")')"
VENV="$ROOT/.venv/py$PYVER"
LOCK="$ROOT/requirements/lock-py$PYVER.txt"
export PATH="$VENV/bin:$PATH"
