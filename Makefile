# stratamem: the two commands in the README are `make demo` and `make test`.
PYTHON ?= python3
BUILD ?= build/cmake
JOBS ?= $(shell nproc)

.PHONY: setup build install demo test test-cpp test-python test-tsan bench clean fuzz-build fuzz-smoke fuzz soak

setup:
	bash scripts/setup.sh

# The C++ engine, CLI, unit tests and benchmarks.
build:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

# The Python package (engine + binding + CLI) into the current Python.
install:
	$(PYTHON) -m pip install -q --disable-pip-version-check --no-build-isolation .

# Sets up, then shows memory surviving sessions and crossing agents on the embedded store.
demo: setup install
	$(PYTHON) examples/quickstart.py

test-cpp: build
	STRATAMEM_MODEL_DIR="$$($(PYTHON) scripts/model_dir.py)" ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-python: install
	$(PYTHON) -m pytest -q tests/python

# The store's concurrency tests under ThreadSanitizer (engine only, no model),
# with the caches and the background index build.
test-tsan:
	cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATAMEM_SANITIZE=thread \
	  -DSTRATAMEM_BUILD_TOOLS=OFF -DSTRATAMEM_BUILD_BENCH=OFF
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
	  -DSTRATAMEM_BUILD_BENCH=OFF -DSTRATAMEM_BUILD_TOOLS=OFF
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

bench: setup install build
	$(PYTHON) bench/run_all.py

clean:
	rm -rf build
