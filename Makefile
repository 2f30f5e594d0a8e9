# The project's entry points. The README's two commands are `make demo` and `make test`.
# Everything goes through CMake presets (CMakePresets.json); this file only sequences them.

WERROR ?= $(if $(CI),ON,OFF)
CMAKE_FLAGS = -DGISA_WERROR=$(WERROR)

.PHONY: all deps build build-asan build-release test test-dev test-asan format format-check demo bench fuzz clean fuzz-run

all: build

deps:
	tools/install-deps

build: deps
	cmake --preset dev $(CMAKE_FLAGS) >/dev/null
	cmake --build --preset dev

build-asan: deps
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build --preset asan

build-release: deps
	cmake --preset release $(CMAKE_FLAGS) >/dev/null
	cmake --build --preset release

# The whole test suite: format check, then every test in the normal build and
# again under AddressSanitizer + UBSan.
test: format-check test-dev test-asan

test-dev: build
	ctest --preset dev

test-asan: build-asan
	ctest --preset asan

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check: deps
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

# The main job on a built-in default: the crawl daemon on a bundled site (served on
# loopback), a private database, and what was stored.
demo: build
	tools/demo build/dev

bench: build-release
	tools/bench build/release

fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz

fuzz-run: deps
	tools/fuzz extract_fuzz 600

clean:
	for d in build/*/pg; do [ -d "$$d" ] && tools/pg stop "$$d" || true; done
	rm -rf build
