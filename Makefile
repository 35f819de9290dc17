# A thin front door over CMake. `make demo` and `make test` are the README's quick start: each
# installs the Debian packages that are missing, configures, builds and runs.
BUILD ?= build
JOBS  ?= $(shell nproc)
# Warnings are errors (GCC 12 on Debian 12 builds the tree clean; `make CMAKE_FLAGS=` to relax).
CMAKE_FLAGS ?= -DPG_WERROR=ON

.PHONY: all deps configure build demo test eval asan bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)/app/pactgraph

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The extractor scored against ../shared/corpus (and the peers' graph imported), when it is there.
eval: build
	python3 scripts/eval.py $(BUILD)/app/pactgraph

asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=Debug -DPG_SANITIZE=ON"

bench: build
	$(BUILD)/bench/pactgraph-bench run --sf 1

clean:
	rm -rf $(BUILD) build-asan
