# keqing — build, test, install.  See README.md.
#
#   make            build build/keqing
#   make deps       install missing Debian 12 packages (apt-get; root or sudo)
#   make demo       deps + build + sample company + pipeline, outputs in out/
#   make check      unit tests (Check) + end-to-end shell tests; installs
#                   nothing: stops, naming `make deps`, when a tool is missing
#   make check SAN=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan       the unit tests under ThreadSanitizer (build-tsan/)
#   make valgrind   unit tests under valgrind (no fork, leak check)
#   make bench      benchmark figures (medians of several runs)
#   make lint       warnings as errors, cppcheck, banned calls, layering and
#                   library isolation, symbol prefixes, shellcheck
#   make install / uninstall  (PREFIX, DESTDIR)
#
# Objects depend on exactly the headers they include (-MMD -MP: the .d
# files next to them), so `make -j2` rebuilds what a change touches.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/keqing
MANDIR   = $(PREFIX)/share/man/man1
VERSION  = 0.1.0

CC      ?= cc
PKGS     = libxml-2.0 libxslt sqlite3 harfbuzz-subset harfbuzz fontconfig \
           libdeflate libqrencode zbar poppler-glib cairo lept libpng libjpeg \
           xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wformat=2 -Wpointer-arith -Wcast-align -Wwrite-strings -Wvla \
          -Wundef -Wnull-dereference -Wimplicit-fallthrough
CSTD    = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT    ?= -O2 -g
DEFS    = -DKQ_VERSION='"$(VERSION)"' -DKQ_DATADIR='"$(DATADIR)"'

ifeq ($(SAN),1)
B       = build-san
OPT     = -O1 -g -fno-omit-frame-pointer
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all
else ifeq ($(SAN),thread)
B       = build-tsan
OPT     = -O1 -g -fno-omit-frame-pointer
SANFLAGS = -fsanitize=thread
else
B       = build
SANFLAGS =
endif

DEPFLAGS    = -MMD -MP
CFLAGS_ALL  = $(CSTD) $(OPT) $(WARN) $(DEFS) $(PKG_CFLAGS) $(SANFLAGS) $(DEPFLAGS) $(CFLAGS)
LDLIBS_ALL  = $(PKG_LIBS) -lhpdf -lm $(LDLIBS)

# Library modules (everything but main.c); the test runner links these too.
LIB_SRC  = $(filter-out generator/main.c,$(wildcard generator/*.c))
LIB_OBJ  = $(patsubst generator/%.c,$(B)/obj/%.o,$(LIB_SRC))
# The test runner links the same objects but mem.o, built with KQ_TESTING
# (allocation failure on request): the library is compiled once.
TLIB_OBJ = $(filter-out $(B)/obj/mem.o,$(LIB_OBJ)) $(B)/tobj/mem.o
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(patsubst tests/unit/%.c,$(B)/tobj/unit_%.o,$(UNIT_SRC))

.PHONY: all deps demo check check-run check-unit check-sys check-deps unit systest valgrind tsan tsan-run \
        bench bench-scale lint install uninstall clean fuzz
all: $(B)/keqing

# Each object also depends on the headers its .d file lists (-MMD -MP,
# written by the compile); an object without its .d file is rebuilt (the
# empty rule for .d files), so no object goes without its dependencies.
# The touch: clang writes the .d file after the object, which would then
# look out of date.
$(B)/obj/%.o: generator/%.c $(B)/obj/%.d | $(B)/obj
	$(CC) $(CFLAGS_ALL) -c -o $@ $<
	@touch $@
$(B)/tobj/%.o: generator/%.c $(B)/tobj/%.d | $(B)/tobj
	$(CC) $(CFLAGS_ALL) -DKQ_TESTING -c -o $@ $<
	@touch $@
$(B)/tobj/unit_%.o: tests/unit/%.c $(B)/tobj/unit_%.d | $(B)/tobj
	$(CC) $(CFLAGS_ALL) -DKQ_TESTING $(CHECK_CFLAGS) -Igenerator -c -o $@ $<
	@touch $@
$(B)/obj $(B)/tobj:
	mkdir -p $@
DEP_FILES = $(LIB_OBJ:.o=.d) $(B)/obj/main.d $(B)/tobj/mem.d $(UNIT_OBJ:.o=.d)
$(DEP_FILES):
-include $(DEP_FILES)

$(B)/keqing: $(LIB_OBJ) $(B)/obj/main.o
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)
$(B)/check_all: $(TLIB_OBJ) $(UNIT_OBJ)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS_ALL)

# ---- dependencies (Debian 12) -------------------------------------------
DEB_PKGS = build-essential pkg-config libxml2-dev libxml2-utils libxslt1-dev \
           libsqlite3-dev sqlite3 libhpdf-dev check libsubunit-dev \
           libharfbuzz-dev libfontconfig-dev libdeflate-dev fonts-wqy-microhei fonts-wqy-zenhei \
           fonts-hanazono fonts-babelstone-han \
           poppler-utils qpdf time cppcheck valgrind libqrencode-dev zbar-tools \
           fontconfig shellcheck libzbar-dev libpoppler-glib-dev libcairo2-dev \
           libleptonica-dev libpng-dev libjpeg-dev python3-pil python3-numpy \
           libxlsxwriter-dev python3-openpyxl
# install_missing PACKAGES: apt-get install those not installed yet
install_missing = missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; \
	else echo "deps: installing$$(echo ' '$$missing)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi
deps:
	@$(call install_missing,$(DEB_PKGS))
# clang and its libFuzzer runtime, for `make fuzz` only
FUZZ_DEB_PKGS = clang libclang-rt-14-dev
fuzz-deps: deps
	@$(call install_missing,$(FUZZ_DEB_PKGS))

# ---- demo ----------------------------------------------------------------
DEMO_PERIOD = 2026-10
demo: deps
	$(MAKE) all
	@mkdir -p out
	rm -rf out/demo.db out/$(DEMO_PERIOD)
	$(B)/keqing sample --staff 60 --period $(DEMO_PERIOD) --seed 7 -o out/sample.xml
	$(B)/keqing import out/sample.xml --db out/demo.db
	$(B)/keqing score --period $(DEMO_PERIOD) --db out/demo.db --out out
	$(B)/keqing render --period $(DEMO_PERIOD) --db out/demo.db --out out
	$(B)/keqing verify out/$(DEMO_PERIOD)/persons/E00001.pdf --db out/demo.db
	@echo "demo: export out/sample.xml, database out/demo.db, CSVs and PDFs in out/$(DEMO_PERIOD)/" \
	  "(persons/, regions/, packets/, manifest.csv, the workbook keqing-$(DEMO_PERIOD).xlsx)"

# ---- tests ---------------------------------------------------------------
# `make check` installs nothing: tests/check_deps.sh lists what is missing
# (with its Debian package) and stops, naming `make deps`.
check-deps:
	@sh tests/check_deps.sh build check
# It builds with $(JOBS) jobs and runs the unit suites beside the
# end-to-end tests (which run.sh runs $(JOBS) at a time); the unit
# suites' report is printed whole when they end.
JOBS ?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
check: check-deps
	$(MAKE) -j$(JOBS) check-run
check-run: check-unit check-sys
check-unit: $(B)/check_all
	@st=0; CK_DEFAULT_TIMEOUT=60 $(B)/check_all > $(B)/unit.log 2>&1 || st=$$?; \
	  cat $(B)/unit.log; exit $$st
check-sys: all
	KQ_SYS_JOBS=$(JOBS) KEQING=$(CURDIR)/$(B)/keqing sh tests/sys/run.sh
unit: $(B)/check_all
	CK_DEFAULT_TIMEOUT=60 $(B)/check_all
systest: all
	KEQING=$(CURDIR)/$(B)/keqing sh tests/sys/run.sh
valgrind:
	@sh tests/check_deps.sh build check valgrind
	$(MAKE) $(B)/check_all
	CK_FORK=no CK_DEFAULT_TIMEOUT=0 valgrind -q --error-exitcode=1 --leak-check=full \
	  --errors-for-leak-kinds=definite $(B)/check_all

# The unit suites under ThreadSanitizer (build-tsan/; font_mt shares one
# font between threads).  tests/tsan.supp: the one known, test-only race.
TSAN_OPTIONS_ALL = halt_on_error=1 second_deadlock_stack=1 \
                   suppressions=$(CURDIR)/tests/tsan.supp $(TSAN_OPTIONS)
tsan:
	@sh tests/check_deps.sh build check tsan
	$(MAKE) SAN=thread tsan-run
tsan-run: $(B)/check_all
	TSAN_OPTIONS="$(TSAN_OPTIONS_ALL)" CK_DEFAULT_TIMEOUT=600 $(B)/check_all

bench: all $(B)/bench_xlsx
	sh bench/run.sh $(B)/keqing
# 25,000- and 50,000-staff companies end to end: time and peak memory
bench-scale: all
	KQ_BENCH_ONLY=scale sh bench/run.sh $(B)/keqing
$(B)/bench_pdf: bench/pdf.c $(LIB_OBJ)
	$(CC) $(CFLAGS_ALL) -Igenerator -o $@ bench/pdf.c $(LIB_OBJ) $(LDLIBS_ALL)
# scan pages and QR decoding: build/bench_receive [-r RUNS] FILE...
$(B)/bench_receive: bench/receive.c $(LIB_OBJ)
	$(CC) $(CFLAGS_ALL) -Igenerator -o $@ bench/receive.c $(LIB_OBJ) $(LDLIBS_ALL)
# the period's workbook: build/bench_xlsx DB TEMPLATES OUT RUNS
$(B)/bench_xlsx: bench/xlsx.c $(LIB_OBJ)
	$(CC) $(CFLAGS_ALL) -Igenerator -o $@ bench/xlsx.c $(LIB_OBJ) $(LDLIBS_ALL)
-include $(wildcard $(B)/*.d)

# ---- fuzzing (clang 14 + libFuzzer; tests/fuzz/) -------------------------
#   make fuzz [FUZZ_SECONDS=60]   build into build-fuzz/, run each target
#   make fuzz-build               only build build-fuzz/fuzz_{import,roles}
FUZZ_SECONDS ?= 60
FUZZ_CC    ?= clang
FZ          = build-fuzz
FUZZ_FLAGS  = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined
FZ_OBJ      = $(patsubst generator/%.c,$(FZ)/obj/%.o,$(LIB_SRC))
FUZZ_TARGETS = import roles templates families verify scan payload
FUZZ_BINS   = $(patsubst %,$(FZ)/fuzz_%,$(FUZZ_TARGETS))

$(FZ)/obj/%.o: generator/%.c $(FZ)/obj/%.d | $(FZ)/obj
	$(FUZZ_CC) $(CSTD) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(DEFS) -DKQ_FUZZING \
	  $(PKG_CFLAGS) $(DEPFLAGS) -c -o $@ $<
	@touch $@
$(FZ)/obj:
	mkdir -p $@
$(FZ_OBJ:.o=.d):
-include $(FZ_OBJ:.o=.d) $(wildcard $(FZ)/*.d)
# the objects are only prerequisites of the pattern rule below: without
# this make treats them as intermediate and deletes them after linking
.SECONDARY: $(FZ_OBJ)
$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FZ_OBJ)
	$(FUZZ_CC) $(CSTD) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -Igenerator \
	  $(DEPFLAGS) -o $@ $< $(FZ_OBJ) $(LDLIBS_ALL)
.PHONY: fuzz-build fuzz-deps fuzz-long fuzz-merge
fuzz-build: $(FUZZ_BINS)
fuzz: fuzz-deps
	$(MAKE) fuzz-build all
	KEQING=$(CURDIR)/$(B)/keqing sh tests/fuzz/run.sh $(FZ) $(FUZZ_SECONDS)
# the long run of doc/limits.md ("Fuzzing"): 20 minutes a target, then the
# corpora merged into tests/fuzz/corpus/ (minimised) to seed every later run
FUZZ_LONG_SECONDS ?= 1200
fuzz-long: fuzz-deps
	$(MAKE) fuzz-build all
	KEQING=$(CURDIR)/$(B)/keqing sh tests/fuzz/run.sh $(FZ) $(FUZZ_LONG_SECONDS)
	$(MAKE) fuzz-merge
fuzz-merge: fuzz-build
	for t in $(FUZZ_TARGETS); do mkdir -p tests/fuzz/corpus/$$t; \
	  KQ_SRCDIR=$(CURDIR) $(FZ)/fuzz_$$t -merge=1 -max_len=65536 \
	    tests/fuzz/corpus/$$t $(FZ)/corpus/$$t > $(FZ)/$$t.merge.log 2>&1 || exit 1; done

# ---- lint ----------------------------------------------------------------
# tests/lint.sh: layering, library isolation, symbol prefixes, suites,
# shellcheck, banned calls; tests/lint_allow.txt: today's violations
lint:
	@sh tests/check_deps.sh build check lint
	$(MAKE) -B OPT=-O2 CFLAGS=-Werror all $(B)/check_all
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	  --std=c11 --inline-suppr --suppress=missingIncludeSystem -Igenerator generator
	@OBJDIR=$(B)/obj sh tests/lint.sh
	@echo "lint: ok"

# ---- install -------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(B)/keqing $(DESTDIR)$(BINDIR)/keqing
	cp -R templates $(DESTDIR)$(DATADIR)/
	cp -R fonts $(DESTDIR)$(DATADIR)/
	install -m 644 doc/keqing.1 $(DESTDIR)$(MANDIR)/keqing.1
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/keqing $(DESTDIR)$(MANDIR)/keqing.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-tsan build-fuzz out
