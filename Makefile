# SPDX-License-Identifier: GPL-2.0-only
#
# ksf: kernel security function.  See README.md.
#
#   make                 ksf.ko (against KDIR), libksf, ksfctl
#   make check           everything: deps, build, style, spec, KUnit, selftests
#   make coverage        line/function coverage of kernel/ by the selftests
#   make demo            build, boot the VM, show ksf at work
#   make fuzz DURATION=1h   boot the debug kernel, run the spec-driven fuzzer
#                        that long (SEED=N to replay a seed, FUZZ_KERNEL=stock)
#   make soak DURATION=10m  NF traffic, admin changes, save/restore and key
#                        expiry at once on the debug kernel: ops/s and memory
#                        over time, leaks and kernel reports (SOAK_KERNEL=stock)
#   make install         module, library, headers, pkg-config, CLI
#                        (DESTDIR=dir: everything under dir, the module in
#                        dir/lib/modules/KVER/updates, depmod -b dir; the
#                        host's /lib/modules is not touched; DEPMOD=true
#                        skips depmod, for packages whose postinst runs it)
#
# KDIR defaults to the running kernel's build tree, else to the newest
# Debian 6.12 headers installed.  KSF_OUT=dir builds the module in a copy
# of the sources under dir, so one tree can serve several kernels.

KSF_VERSION	:= 0.3.0
PREFIX		?= /usr/local
DESTDIR		?=
DEPMOD		?= depmod
SELFTESTS	:= tools/testing/selftests/ksf

running_kdir	:= /lib/modules/$(shell uname -r)/build
newest_6_12	:= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*-amd64)))
ifneq ($(wildcard $(running_kdir)/Makefile),)
KDIR		?= $(running_kdir)
else
KDIR		?= $(newest_6_12)
endif

MODSRC		:= Kbuild Kconfig kernel uapi
# The kernel release KDIR builds for (/lib/modules/R/build or linux-headers-R).
KVER		?= $(or $(patsubst /lib/modules/%/build,%,$(filter /lib/modules/%/build,$(KDIR))),$(patsubst linux-headers-%,%,$(notdir $(KDIR))))
COPY_SRC	:= rsync -a --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		   --exclude='*.mod' --exclude='*.mod.c' --exclude='*.a' \
		   --exclude='*.gcno' --exclude='*.gcda'

.PHONY: all module user spec vectors spec-check style check coverage demo fuzz soak deps install \
	install-module install-user dkms-install clean

all: module user

module:
ifeq ($(KSF_OUT),)
	$(MAKE) -C $(KDIR) M=$(CURDIR) KSF_VERSION=$(KSF_VERSION) modules
else
	mkdir -p $(KSF_OUT)
	$(COPY_SRC) --delete $(MODSRC) $(KSF_OUT)/
	$(MAKE) -C $(KDIR) M=$(abspath $(KSF_OUT)) KSF_VERSION=$(KSF_VERSION) modules
endif

user:
	$(MAKE) -C user

# Regenerate uapi/linux/ksf.h and kernel/netlink/ksf-nl-gen.[ch] from the YNL spec,
# and the KUnit vector table from the published vectors.
VECTORS		?= $(CURDIR)/../shared/vectors

SVC_GEN		:= tools/net/ynl/ksf-svc-gen.py Documentation/netlink/specs/ksf.yaml \
		   Documentation/netlink/specs/ksf-services.yaml $(CURDIR)

spec:
	tools/net/ynl/ynl-gen.sh
	$(MAKE) -C user names
	$(SVC_GEN)

vectors:
	kernel/tests/gen-vectors.py $(VECTORS) kernel/tests/vectors.h

# Fails when a committed generated file differs from what its source gives.
spec-check:
	tools/net/ynl/ynl-gen.sh --check
	$(MAKE) -C user names-check
	$(SVC_GEN) --check
	kernel/tests/gen-vectors.py --check $(VECTORS) kernel/tests/vectors.h

deps:
	$(SELFTESTS)/install-deps.sh

style:
	$(SELFTESTS)/style.sh

check:
	$(SELFTESTS)/check.sh

# Line and function coverage of kernel/ by the selftests (debug kernel,
# gcov): per-file table, HTML in build/coverage/html.  T="NN ...": some tests.
coverage:
	$(SELFTESTS)/coverage.sh $(T)

demo:
	$(SELFTESTS)/demo.sh

DURATION	?= 10m
SEED		?=
FUZZ_KERNEL	?= debug
fuzz:
	$(SELFTESTS)/fuzz/run-fuzz.sh $(DURATION) "$(SEED)" $(FUZZ_KERNEL)

SOAK_KERNEL	?= debug
soak:
	$(SELFTESTS)/soak/run-soak.sh $(DURATION) $(SOAK_KERNEL)

install: install-module install-user

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(abspath $(DESTDIR))) modules_install
	$(DEPMOD) $(if $(DESTDIR),-b $(abspath $(DESTDIR))) -a $(KVER)

install-user: user
	$(MAKE) -C user install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 uapi/linux/ksf.h $(DESTDIR)$(PREFIX)/include/linux/ksf.h

# DKMS: copy the sources to /usr/src/ksf-VERSION and let dkms build and
# install the module for KVER (the running kernel by default) and, through
# AUTOINSTALL, for kernels installed later.
dkms-install:
	-dkms remove -m ksf -v $(KSF_VERSION) --all 2>/dev/null
	rm -rf /usr/src/ksf-$(KSF_VERSION)
	mkdir -p /usr/src/ksf-$(KSF_VERSION)
	$(COPY_SRC) $(MODSRC) dkms.conf /usr/src/ksf-$(KSF_VERSION)/
	printf 'all:\n\t$$(MAKE) -C $$(KDIR) M=$$(CURDIR) KSF_VERSION=$(KSF_VERSION) modules\nclean:\n\t$$(MAKE) -C $$(KDIR) M=$$(CURDIR) clean\n' \
		> /usr/src/ksf-$(KSF_VERSION)/Makefile
	dkms add -m ksf -v $(KSF_VERSION)
	dkms install -m ksf -v $(KSF_VERSION) -k $(KVER)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C user clean
	rm -rf build
