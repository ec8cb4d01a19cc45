#!/usr/bin/env bash
# Create one virtual environment per compared system under build/bench-venvs/
# (not committed). Each system gets its own venv so their dependency pins never
# meet memstrata's or each other's. Rerunning is idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venvs="$root/build/bench-venvs"
py="${PYTHON:-python3}"
mkdir -p "$venvs"

make_venv() {  # name, pip requirement...
  local name="$1"; shift
  if [ ! -x "$venvs/$name/bin/python" ]; then
    "$py" -m venv "$venvs/$name"
  fi
  "$venvs/$name/bin/pip" install --quiet --upgrade pip
  "$venvs/$name/bin/pip" install --quiet "$@"
  "$venvs/$name/bin/pip" freeze > "$venvs/$name/freeze.txt"
  echo "$name: $("$venvs/$name/bin/pip" show "$1" 2>/dev/null | sed -n 's/^Version: //p')"
}

# mem0 with its default local vector store (qdrant-client in local/on-disk mode)
# and the openai SDK for the OpenAI-compatible embedder.
make_venv mem0 mem0ai openai
# headroom-ai's memory module.
make_venv headroom headroom-ai openai
