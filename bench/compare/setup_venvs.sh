#!/usr/bin/env bash
# Create one virtual environment per compared system under build/bench-venvs/
# (not committed). Each system gets its own venv so their dependency pins never
# meet stratamem's or each other's. Rerunning is idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venvs="$root/build/bench-venvs"
py="${PYTHON:-python3}"
mkdir -p "$venvs"

# sqlite-vec is a loadable SQLite extension; some Python builds (pyenv's, here)
# lack sqlite3.enable_load_extension. Pick an interpreter that has it.
ext_python() {
  for cand in "$py" python3 /usr/bin/python3; do
    if "$cand" -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)' \
        2>/dev/null; then
      echo "$cand"; return
    fi
  done
  echo "no Python with sqlite3.enable_load_extension found" >&2; return 1
}

make_venv() {  # name, python, pip requirement...
  local name="$1" python="$2"; shift 2
  if [ ! -x "$venvs/$name/bin/python" ]; then
    "$python" -m venv "$venvs/$name"
  fi
  "$venvs/$name/bin/pip" install --quiet --upgrade pip
  "$venvs/$name/bin/pip" install --quiet "$@"
  "$venvs/$name/bin/pip" freeze > "$venvs/$name/freeze.txt"
  echo "$name: $("$venvs/$name/bin/pip" show "$1" 2>/dev/null | sed -n 's/^Version: //p')"
}

# mem0 with its default local vector store (qdrant-client in local/on-disk mode)
# and the openai SDK for the OpenAI-compatible embedder.
make_venv mem0 "$py" mem0ai openai
# headroom-ai's memory module: its [memory] extra is sqlite-vec plus
# sentence-transformers (torch, ~2 GB) for the local embedder. We use its OpenAI
# embedder against the local server, so we install sqlite-vec and numpy (which the
# embedders module imports) but not torch.
make_venv headroom "$(ext_python)" headroom-ai sqlite-vec numpy openai
# Charts for bench/locomo/report.py (matplotlib stays out of stratamem's own deps).
make_venv report "$py" matplotlib
