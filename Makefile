# Thin wrapper around CMake. The build itself is CMakeLists.txt.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test asan valgrind clean

all: build

deps:
	@sh scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@echo "== dflint examples/Dockerfile (embedded catalog, no network) =="
	@./$(BUILD)/dflint examples/Dockerfile; status=$$?; \
	  if [ $$status -gt 1 ]; then exit $$status; fi

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan:
	@$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DDFLINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"

# A representative subset of the suites under valgrind (memcheck), in a
# build without sanitizers: scripts/valgrind-check.sh says which.
valgrind:
	@$(MAKE) build BUILD=build-valgrind CMAKE_FLAGS="-DDFLINT_SANITIZE=OFF"
	@sh scripts/valgrind-check.sh build-valgrind

clean:
	@rm -rf build build-asan build-valgrind
