# stratamem: the two commands in the README are `make demo` and `make test`.
PYTHON ?= python3
BUILD ?= build/cmake
JOBS ?= $(shell nproc)

.PHONY: setup build install demo test test-cpp test-python test-tsan bench clean

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

# Sets up, builds, and runs every test: ctest for C++, pytest for Python, and
# the store's concurrency tests under ThreadSanitizer.
test: setup test-cpp test-python test-tsan

bench: setup install build
	$(PYTHON) bench/run_all.py

clean:
	rm -rf build
