# SPDX-License-Identifier: GPL-2.0-or-later
#
# tdmx top-level build. Userspace parts build natively; the kernel module
# builds through Kbuild (`make modules`). See README.md.
#
#   make            build framer library, tools, unit tests, benchmarks
#   make check      install deps, build, run unit tests, again under
#                   ASan+UBSan, replay the fuzz corpus, then the module's
#                   scenarios under QEMU (make qemu-test)
#   make bench      run the benchmarks
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS
#   make demo       encode, damage and decode an E1 line with tdmx-line

SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build/asan
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build/native
SANFLAGS :=
endif

CC ?= gcc
OPT ?= -O2
CPPFLAGS_ALL := -D_GNU_SOURCE -Ikernel/framer -Iinclude/uapi -Iuserspace/lib
CFLAGS_ALL := -std=c11 -g $(OPT) -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes $(SANFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
PCAP_LIBS := -lpcap

FRAMER_SRC := $(wildcard kernel/framer/*.c)
FRAMER_OBJ := $(FRAMER_SRC:%.c=$(BUILD)/%.o)
FRAMER_LIB := $(BUILD)/libtdmxframer.a

LINE_SRC := $(wildcard tools/tdmx-line/*.c)
LINE_OBJ := $(LINE_SRC:%.c=$(BUILD)/%.o)
LINE_BIN := $(if $(LINE_SRC),$(BUILD)/tdmx-line)

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELPERS := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_HELPER_OBJ := $(UNIT_HELPERS:%.c=$(BUILD)/%.o)

BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: lint all check unit bench fuzz fuzz-replay demo deps clean modules modules_install install
# keep objects between runs (they are intermediate files of the link rules)
.SECONDARY:
all: $(FRAMER_LIB) $(LINE_BIN) $(UNIT_BIN) $(BENCH_BIN)

deps:
	@./scripts/deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(FRAMER_LIB): $(FRAMER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tdmx-line: $(LINE_OBJ) $(FRAMER_LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PCAP_LIBS) -lm

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(UNIT_HELPER_OBJ) $(FRAMER_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(CHECK_LIBS) $(PCAP_LIBS) -lm

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(FRAMER_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lm

# libtdmx, tdmxctl, tdmxmon and their unit test
include userspace/Makefile.inc
include userspace/tdmxd/Makefile.inc
include tools/tdmx-acdsim/Makefile.inc

# Programs the QEMU scenarios run inside the guest
KTEST_SRC := $(wildcard tests/kernel/*.c)
KTEST_BIN := $(KTEST_SRC:tests/kernel/%.c=$(BUILD)/tests/kernel/%)
all: $(KTEST_BIN)

$(BUILD)/tests/kernel/%: tests/kernel/%.c tests/kernel/ktest.h include/uapi/linux/tdmx.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL)

# the media test renders DTMF with sin()
$(BUILD)/tests/kernel/tdmxd-mediatest: LDFLAGS_ALL += -lm

# The module under QEMU: boots Debian's kernel once and runs tests/kernel/*.sh
.PHONY: qemu-test
qemu-test: deps
	$(MAKE) all
	BUILD=$(BUILD) tests/qemu/run $(QEMU_SCENARIOS)

# Unit tests: every Check runner, then the shell tests of the tools.
unit: all
	@BUILD=$(BUILD) ./tests/run-unit.sh

# checkpatch --strict and sparse over kernel/ and include/
lint: deps
	@./scripts/lint

check: deps
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) SAN=1 unit
	$(MAKE) fuzz-replay
	$(MAKE) qemu-test

bench: $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

# libFuzzer targets (clang), sanitised; the corpus lives in tests/fuzz/corpus.
FUZZ_CC ?= clang
FUZZ_FLAGS := -std=c11 -g -O1 -D_GNU_SOURCE -Ikernel/framer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/%: tests/fuzz/%.c $(FRAMER_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FRAMER_SRC)

fuzz-replay: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); \
		echo "fuzz replay $$n: $$(ls tests/fuzz/corpus/$$n | wc -l) inputs"; \
		$$f -runs=0 tests/fuzz/corpus/$$n >build/fuzz/$$n.log 2>&1 || \
			{ cat build/fuzz/$$n.log; exit 1; }; done

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p tests/fuzz/corpus/$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 tests/fuzz/corpus/$$n || exit 1; done

demo: deps
	$(MAKE) $(LINE_BIN) $(ACDSIM_BIN)
	@BUILD=$(BUILD) ./scripts/demo

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)

# Tools, man pages and the udev rule; `make modules_install` for the module.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)/lib/udev/rules.d
	for t in tdmx-line tdmxctl tdmxmon tdmx-acdsim; do \
		[ -x $(BUILD)/$$t ] && install -m 755 $(BUILD)/$$t $(DESTDIR)$(PREFIX)/bin/; done; true
	install -m 644 Documentation/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for m in Documentation/*.8; do [ -e $$m ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man8/; done; true
	install -m 644 udev/60-tdmx.rules $(DESTDIR)/lib/udev/rules.d/

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
