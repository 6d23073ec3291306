#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The save KEK from a key whose bytes no user space ever held: a `trusted`
# key (generated in the kernel, sealed by the TPM 2.0 under its storage
# primary key 0x81000001; user space only sees the sealed blob), and an
# `encrypted` key under a `trusted:` master.  Save under it; restore in a
# fresh instance (same MAC); reload the trusted key from its sealed blob,
# as after a reboot, and restore under the reloaded key.
#
# Which kernels: the trusted key type exists only where CONFIG_TRUSTED_KEYS
# is set.  vm-run gives every VM a TPM 2.0 (swtpm), but Debian's 6.12 and
# 6.1 kernels are built without trusted keys, so there the trusted cases
# do not exist (a diagnostic line says so, no case is reported); the debug
# kernel has them, and on it they are required: a missing TPM or trusted
# key type fails them.  On every kernel, an `encrypted` KEK under a `user:`
# master (all Debian's kernels offer without a TPM) is saved and restored.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
S="ksfctl service"
D=7768617420646f2079612077616e7420666f72206e6f7468696e673f
SPK=0x81000001

ksfctl peer add amf kind nf uid 0 services all algs all key-len 8-64
k=$(ksfctl key add type generic len 32 usage mac owner amf)
t0=$($S mac-generate alg hmac-sha256 key "$k" data $D)
case $t0 in "0 ok data "*) ;; *) ksft_fail "a MAC before the save" "$t0" ;; esac

# restore_mac BLOB SERIAL: restore BLOB under SERIAL in a fresh instance
# and MAC there.
restore_mac() {
	unshare -n sh -c "ksfctl restore keyring $2 file $1 &&
		$S mac-generate alg hmac-sha256 key $k data $D" 2>&1
}

# save_restore ID NAME SERIAL: save under SERIAL into $TMP/ID, restore in a
# fresh instance: same MAC.
save_restore() {
	if ! ksfctl save keyring "$3" file "$TMP/$1" 2>"$TMP/err"; then
		ksft_fail "$2: save" "$(cat "$TMP/err")"
		return
	fi
	ksft_ok "$2: save"
	o=$(restore_mac "$TMP/$1" "$3")
	if [ "$o" = "$t0" ]; then
		ksft_ok "$2: restore into a fresh instance, same MAC"
	else
		ksft_fail "$2: restore into a fresh instance, same MAC" "$o"
	fi
}

# Trusted keys are there: the debug kernel, or any kernel whose keyring
# knows the type (an unknown type is ENODEV, "No such device").
have_trusted() {
	[ "${KSF_KERNEL:-}" = debug ] && return 0
	! keyctl add trusted ksf:probe "load 00" @u 2>&1 | grep -q 'No such device'
}

# every kernel: an encrypted KEK under a user master
um=$(head -c 32 /dev/urandom | keyctl padd user ksf:kmk-user @u)
ek=$(keyctl add encrypted ksf:kek-enc-user "new user:ksf:kmk-user 32" @u 2>"$TMP/err")
if [ -n "$ek" ]; then
	ksft_ok "encrypted KEK under a user master"
	save_restore enc-user "encrypted KEK (user master)" "$ek"
else
	ksft_fail "encrypted KEK under a user master" "$(cat "$TMP/err")"
fi

if have_trusted; then
	[ -c /dev/tpm0 ] && ksft_ok "the VM has a TPM" || ksft_fail "the VM has a TPM" "no /dev/tpm0"
	tk=$(keyctl add trusted ksf:kek-trusted "new 32 keyhandle=$SPK" @u 2>"$TMP/err")
	if [ -n "$tk" ]; then
		ksft_ok "trusted KEK: 32 bytes made in the kernel, sealed by the TPM"
	else
		ksft_fail "trusted KEK: 32 bytes made in the kernel, sealed by the TPM" "$(cat "$TMP/err")"
		tk=0
	fi
	save_restore trusted "trusted KEK" "$tk"

	# after a reboot: the key comes back from its TPM-sealed blob only
	keyctl pipe "$tk" >"$TMP/sealed" 2>/dev/null
	tk2=$(keyctl add trusted ksf:kek-trusted-2 "load $(cat "$TMP/sealed") keyhandle=$SPK" @u 2>"$TMP/err")
	if [ -n "$tk2" ]; then
		ksft_ok "trusted KEK reloaded from its sealed blob"
	else
		ksft_fail "trusted KEK reloaded from its sealed blob" "$(cat "$TMP/err")"
		tk2=0
	fi
	o=$(restore_mac "$TMP/trusted" "$tk2")
	[ "$o" = "$t0" ] && ksft_ok "restore under the reloaded trusted KEK, same MAC" ||
		ksft_fail "restore under the reloaded trusted KEK, same MAC" "$o"

	ek2=$(keyctl add encrypted ksf:kek-enc-trusted "new trusted:ksf:kek-trusted 32" @u 2>"$TMP/err")
	if [ -n "$ek2" ]; then
		ksft_ok "encrypted KEK under a trusted master"
	else
		ksft_fail "encrypted KEK under a trusted master" "$(cat "$TMP/err")"
		ek2=0
	fi
	save_restore enc-trusted "encrypted KEK (trusted master)" "$ek2"
	t_fail "a save under the trusted KEK does not open under another" 1 'restore: ' \
		unshare -n sh -c "ksfctl restore keyring $ek2 file $TMP/trusted"
	for s in "$ek2" "$tk2" "$tk"; do keyctl unlink "$s" @u >/dev/null 2>&1; done
else
	ksft_diag "this kernel ($(uname -r)) has no trusted key type (CONFIG_TRUSTED_KEYS is not" \
		"set in Debian's kernels): the trusted-KEK cases run on the debug kernel"
fi

for s in "$ek" "$um"; do keyctl unlink "$s" @u >/dev/null 2>&1; done
rm -rf "$TMP"
ksft_dmesg_check "no kernel report"
ksft_done
