#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter, or fails with a message.
# Order: $PYTHON, python3.12/python3.13/python3 on PATH, then pyenv's installed versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for cand in "${PYTHON:-}" python3.12 python3.13 python3; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
# pyenv's versions, whether or not the pyenv command itself is on PATH
roots="${PYENV_ROOT:-} $HOME/.pyenv"
command -v pyenv >/dev/null 2>&1 && roots="$(pyenv root) $roots"
for root in $roots; do
  for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V); do
    if ok "$path"; then echo "$path"; exit 0; fi
  done
done
echo "error: Python 3.12 or newer is needed; install it or set PYTHON=/path/to/python3.12" >&2
exit 1
