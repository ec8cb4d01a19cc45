# stratamem: the two commands in the README are `make demo` and `make test`.
PYTHON ?= python3
JOBS ?= $(shell nproc)
# One build of the engine serves everything: scikit-build-core builds the engine,
# CLI, binding, C++ tests and benchmarks in $(BUILD) (one directory per Python
# environment, kept between runs, so rebuilds are incremental) and installs the
# package from it; ctest and the benchmarks run in the same directory.
BUILD ?= $(shell $(PYTHON) scripts/build_dir.py)
CCACHE := $(shell command -v ccache 2>/dev/null)
CCACHE_DEFS := $(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
PIP_INSTALL = $(PYTHON) -m pip install -q --disable-pip-version-check --no-build-isolation --find-links dist
DEV_SETTINGS = -Cbuild-dir=$(BUILD) -Ccmake.define.STRATAMEM_BUILD_TESTS=ON \
  -Ccmake.define.STRATAMEM_BUILD_BENCH=ON \
  $(if $(CCACHE),-Ccmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache -Ccmake.define.CMAKE_C_COMPILER_LAUNCHER=ccache)

.PHONY: setup build install demo test test-cpp test-python test-tsan test-local bench wheel-check clean fuzz-build fuzz-smoke fuzz soak

setup:
	bash scripts/setup.sh

# The Python package (engine + binding + CLI) into the current Python, with the
# C++ unit tests and benchmarks built beside it in $(BUILD).
install:
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(PIP_INSTALL) $(DEV_SETTINGS) .

build: install

# Sets up, then shows memory surviving sessions and crossing agents on the embedded store.
demo: setup install
	$(PYTHON) examples/quickstart.py

test-cpp: install
	STRATAMEM_MODEL_DIR="$$($(PYTHON) scripts/model_dir.py)" ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-python: install
	$(PYTHON) -m pytest -q tests/python

# EmbedderBackend.LOCAL against the real sentence-transformers: its extra brings
# torch (several GB), so it is not part of `make test`.
test-local: install
	$(PYTHON) -m pip install -q --disable-pip-version-check "sentence-transformers>=3.0"
	$(PYTHON) -m pytest -q -m local_backend tests/python/test_backend_local.py

# The store's concurrency tests under ThreadSanitizer (engine only, no model),
# with the caches and the background index build.
test-tsan:
	cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATAMEM_SANITIZE=thread \
	  -DSTRATAMEM_BUILD_TOOLS=OFF -DSTRATAMEM_BUILD_BENCH=OFF $(CCACHE_DEFS)
	cmake --build build/tsan -j $(JOBS) --target store_concurrency_test store_test store_versions_test \
	  store_cache_test vector_index_test
	TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build/tsan --output-on-failure \
	  -R '^(StoreConcurrencyTest|StoreTest|VersionsTest|CacheTest)\.|^StoreHnswTest\.(AutoBuilds|ClosingDuring)'

# libFuzzer targets (fuzz/, docs/fuzzing.md), built with clang in their own
# tree: a bounded smoke run of every target in `make test`, a long one in
# `make fuzz` (FUZZ_SECONDS per target).
FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 300
fuzz-build:
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DSTRATAMEM_BUILD_FUZZ=ON -DSTRATAMEM_BUILD_TESTS=OFF \
	  -DSTRATAMEM_BUILD_BENCH=OFF -DSTRATAMEM_BUILD_TOOLS=OFF $(CCACHE_DEFS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

fuzz-smoke: fuzz-build
	$(PYTHON) fuzz/run.py --build $(FUZZ_BUILD) --seconds 10

fuzz: fuzz-build
	$(PYTHON) fuzz/run.py --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) --json $(FUZZ_BUILD)/fuzz.json

# The long randomized runs: 100,000+ property-test operations and more kill
# iterations (tests read STRATAMEM_SOAK).
soak: install
	STRATAMEM_SOAK=1 $(PYTHON) -m pytest -q tests/python/test_scopes_property.py tests/python/test_kill.py \
	  tests/python/test_kill_serve.py

# Sets up, builds, and runs every test: ctest for C++, pytest for Python, the
# store's concurrency tests under ThreadSanitizer and the fuzz smoke run.
test: setup test-cpp test-python test-tsan fuzz-smoke

bench: setup install
	$(PYTHON) bench/run_all.py --build $(BUILD)

# The wheel runs where pip runs: auditwheel, then pip install in a bare Debian
# root with no -dev or runtime packages (scripts/wheel_check.sh; needs root).
wheel-check: install
	PYTHON=$(PYTHON) bash scripts/wheel_check.sh $(DEV_SETTINGS)

clean:
	rm -rf build
