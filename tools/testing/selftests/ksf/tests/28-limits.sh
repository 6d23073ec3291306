#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Bounded resources (hardening issue, finding 6), black box through ksfctl:
# per-peer keys-max and contexts-max in the policy (defaults 65536), a
# clear rejection when a limit is hit, other peers unaffected, and the
# objects an NF's requests create charged to the NF's memory cgroup.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
S="ksfctl service"
K32=5349fbe098649f948f5d2e973a81c00f9744871ad32bf9bbd1dd5ce54e3e2e5a
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
SNN=5G:mnc001.mcc001.3gppnetwork.org
KMAX='0 rejected EPERM reason "keys-max of the trusted policy reached"'
CMAX='0 rejected EPERM reason "contexts-max of the trusted policy reached"'
pfield() { ksfctl peer show "$1" | sed -n "s/^ *$2: //p"; }

ksfctl peer add lim kind nf uid 0 services all algs all >/dev/null
t_true "default keys-max 65536" [ "$(pfield lim keys-max)" = 65536 ]
t_true "default contexts-max 65536" [ "$(pfield lim contexts-max)" = 65536 ]
t_true "policy keys-max 5 contexts-max 3" ksfctl peer set lim keys-max 5 contexts-max 3
t_match "peer show: the limits" '^    keys-max: 5$' ksfctl peer show lim
# The administrator's own keys count, but are not limited.
k=$(echo $K32 | ksfctl key add type generic owner lim material-hex -)
kk=$(echo $K | ksfctl key add type k owner lim material-hex -)
ko=$(echo $OPC | ksfctl key add type opc owner lim material-hex -)
for i in 1 2; do
	$S kdf key "$k" fc 0x6d param 0$i >/dev/null
done
t_true "the peer owns 5 keys (3 of the admin, 2 derived)" [ "$(pfield lim keys)" = 5 ]
t_res "a 6th key through a request is rejected" "$KMAX" $S kdf key "$k" fc 0x6d param 03
t_true "the rejected request created no key" [ "$(pfield lim keys)" = 5 ]
t_match "the admin may still add keys for the peer" '^0x[0-9a-f]{16}$' \
	ksfctl key add type generic len 32 owner lim
ksfctl peer add other kind ue >/dev/null
t_match "another peer is unaffected" '^0x[0-9a-f]{16}$' ksfctl key add type generic len 32 owner other
ksfctl peer set lim keys-max 100 >/dev/null

r=$($S aka-vector key "$kk" key2 "$ko" snn $SNN subscriber imsi-1)
t_match "aka-vector for a first subscriber" '^0 ok ' echo "$r"
$S aka-vector key "$kk" key2 "$ko" snn $SNN subscriber imsi-2 >/dev/null
$S aka-vector key "$kk" key2 "$ko" snn $SNN subscriber imsi-3 >/dev/null
t_true "the peer owns 3 contexts" [ "$(pfield lim contexts)" = 3 ]
t_res "a 4th subscriber's context is rejected" "$CMAX" \
	$S aka-vector key "$kk" key2 "$ko" snn $SNN subscriber imsi-4
t_res "an existing subscriber still works" "ok" \
	sh -c "$S aka-vector key $kk key2 $ko snn $SNN subscriber imsi-1 | cut -d' ' -f2"
t_match "the admin may still create a context for the peer" '^0x[0-9a-f]{16}$' \
	ksfctl context new lim imsi-admin
h=$(ksfctl context show lim imsi-2 | sed -n 's/^context //p')
ksfctl context del "$h"
ksfctl context del "$(ksfctl context show lim imsi-admin | sed -n 's/^context //p')"
t_res "after a delete there is room again" "ok" \
	sh -c "$S aka-vector key $kk key2 $ko snn $SNN subscriber imsi-4 | cut -d' ' -f2"
n=$(pfield lim keys)
ksfctl peer set lim keys-max "$n" >/dev/null
t_res "aka-vector at keys-max: its K_AUSF is rejected" "$KMAX" \
	$S aka-vector key "$kk" key2 "$ko" snn $SNN subscriber imsi-1
t_true "the rejected aka-vector created no key" [ "$(pfield lim keys)" = "$n" ]
# nas-context at a limit: refused, and its K_AMF not spent by the refusal
kamf=$(ksfctl key add type generic len 32 usage derive owner lim)
n=$(pfield lim keys)
ksfctl peer set lim keys-max "$n" >/dev/null
t_res "nas-context at keys-max: its K_NASint is rejected" "$KMAX" \
	$S nas-context key "$kamf" subscriber imsi-1 int-alg nia2 enc-alg nea2
t_true "the rejected nas-context created no key" [ "$(pfield lim keys)" = "$n" ]
ksfctl peer set lim keys-max 100 >/dev/null
c=$(pfield lim contexts)
ksfctl peer set lim contexts-max "$c" >/dev/null
t_res "nas-context at contexts-max: the new context is rejected" "$CMAX" \
	$S nas-context key "$kamf" subscriber imsi-new int-alg nia2 enc-alg nea2
t_true "the rejected nas-context created no key" [ "$(pfield lim keys)" = "$n" ]
ksfctl peer set lim contexts-max 100 >/dev/null
t_res "the refused K_AMF still sets up one NAS context" "ok" \
	sh -c "$S nas-context key $kamf subscriber imsi-new int-alg nia2 enc-alg nea2 | cut -d' ' -f2"
t_res "and only one" '0 rejected EPERM reason "K_AMF has keyed NAS keys before: a new NAS context needs a new K_AMF"' \
	$S nas-context key "$kamf" subscriber imsi-1 int-alg nia2 enc-alg nea2
ksfctl peer set lim keys-max 100 >/dev/null
t_fail "keys-max takes a number" 2 'bad keys-max' ksfctl peer set lim keys-max many

# ---- memory cgroup: the NF's objects are charged to it ----
CG=/sys/fs/cgroup
[ -f $CG/cgroup.controllers ] || mount -t cgroup2 none $CG 2>/dev/null
if [ -f $CG/cgroup.controllers ] && grep -qw memory $CG/cgroup.controllers; then
	echo +memory >$CG/cgroup.subtree_control 2>/dev/null
	mkdir -p $CG/ksf-nf
	ksfctl peer set lim keys-max 100000 >/dev/null
	kmp=$(echo $K32 | ksfctl key add type generic owner lim material-hex -)
	khm=$(echo $K32 | ksfctl key add type generic usage mac owner lim material-hex -)
	slab() { sed -n 's/^slab \([0-9]*\)$/\1/p' $CG/ksf-nf/memory.stat; }
	# the same batches twice: MACs (no object), then KDFs (a key each)
	for i in $(seq 1 400); do printf 'mac-generate alg hmac-sha256 key %s data %04x\n' "$khm" "$i"; done >/tmp/nf-mac
	for i in $(seq 1 400); do printf 'kdf key %s fc 0x6d param %04x\n' "$kmp" "$i"; done >/tmp/nf-kdf
	nf_run() {	# run 5 batches of FILE as a process of the NF's cgroup
		(echo $BASHPID >$CG/ksf-nf/cgroup.procs &&
		 for j in 1 2 3 4 5; do sed "s/ \([0-9a-f]\{4\}\)$/ 0$j\1/" "$1" | $S batch - >/dev/null; done)
	}
	s0=$(slab); nf_run /tmp/nf-mac; s1=$(slab)
	keys0=$(pfield lim keys)
	nf_run /tmp/nf-kdf; s2=$(slab)
	n=$(( $(pfield lim keys) - keys0 ))
	t_true "the NF created 2000 keys in its cgroup ($n)" [ "$n" = 2000 ]
	# A key is ~200 bytes of slab; the MAC batches show the other costs.
	t_true "the keys are charged to the NF's memory cgroup (slab +$((s1 - s0)) for MACs, +$((s2 - s1)) for keys)" \
		[ $(( (s2 - s1) - (s1 - s0) )) -ge $((n * 100)) ]
	ksfctl peer del lim
	sleep 1
	echo $$ >$CG/cgroup.procs
	rmdir $CG/ksf-nf 2>/dev/null
else
	ksft_fail "memory cgroup available" "$(cat $CG/cgroup.controllers 2>&1)"
	ksfctl peer del lim
fi
ksfctl peer del other
ksft_dmesg_check "no kernel report"
ksft_done
