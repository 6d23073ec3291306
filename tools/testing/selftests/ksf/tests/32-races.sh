#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Races between the life of keys and peers and what runs beside it
# (issue 10, items 3, 4 and 12):
# - a key's expiry armed while its owner peer is deleted: nothing of the
#   key stays once peer del and the NF's request have returned (memory 0),
#   and no expiry runs after ip netns del / rmmod (no KASAN report after
#   the max-age has passed);
# - keys created and deleted while saves run: every key of every restored
#   save MACs as the key did before the save;
# - a peer's binding changed while a process of another binding asks: it
#   never acts as the peer, not even half-way through the change;
# - a policy timer of a peer that a restore brought back, while that
#   restore is still open: the instance is not in service, the timer does
#   not run (issue 12, item 5); once the restore is done, it runs.
# On the debug kernel, delay knobs (module parameters that only exist
# there) widen each race window so that every run hits it; on a stock
# kernel the same races run without them.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
TMP=$(mktemp -d)
PARM=/sys/module/ksf/parameters
S="ksfctl service"
cleanup() {
	for k in dbg_arm_delay_ms dbg_save_delay_ms dbg_bind_delay_ms; do
		[ -w "$PARM/$k" ] && echo 0 >"$PARM/$k"
	done
	[ -n "${TMON:-}" ] && kill "$TMON" 2>/dev/null
	[ -n "${THOLD:-}" ] && kill "$THOLD" 2>/dev/null
	for n in 1 2 3 4 5 6 7; do ksft_ns_del ksft-race$n; done
	rm -rf "$TMP"
}
trap cleanup EXIT
knob() { [ -w "$PARM/$1" ] && echo "$2" >"$PARM/$1"; }
if [ -e "$PARM/dbg_arm_delay_ms" ]; then
	KNOBS=1
else
	KNOBS=0
	ksft_diag "no debug knobs (stock kernel): the races run unforced"
fi
mem() { ip netns exec "$1" ksfctl info | sed -n 's/^ *memory: \([0-9]*\) bytes.*/\1/p'; }

# ---- 1. expiry armed against peer del (item 3) ----
# One NF peer with a derive key; the NF sends a batch of derivations with
# out-max-age 3 while the admin deletes the peer.  The knob holds each new
# key between being published and being armed, where peer del runs.
race_setup() { # NETNS
	ip netns add "$1" || return 1
	ip netns exec "$1" ksfctl peer add nf1 kind nf uid 0 services all algs all >/dev/null &&
		ip netns exec "$1" ksfctl key add type generic len 32 usage derive owner nf1
}
race_run() { # NETNS PARENT: batch of kdf against peer del; peer del's status
	local i
	: >"$TMP/batch"
	for i in $(seq 1 8); do
		echo "kdf key $2 fc 0x6a param 0$i out-max-age 3" >>"$TMP/batch"
	done
	ip netns exec "$1" ksfctl service batch "$TMP/batch" >"$TMP/batch.out" 2>&1 &
	local nf=$!
	sleep 0.5
	ip netns exec "$1" ksfctl peer del nf1
	local rc=$?
	wait $nf
	return $rc
}
knob dbg_arm_delay_ms 300
for r in 1 2 3; do
	ns=ksft-race$r
	parent=$(race_setup $ns)
	if [ -z "$parent" ]; then
		ksft_fail "round $r: setup"
		continue
	fi
	if ! race_run $ns "$parent"; then
		ksft_fail "round $r: peer del during the NF's kdf batch"
		continue
	fi
	m=$(mem $ns)
	[ "$m" = 0 ] && ksft_ok "round $r: memory 0 once peer del and the batch returned" ||
		ksft_fail "round $r: memory 0 once peer del and the batch returned" \
			"memory: $m bytes" "$(ip netns exec $ns ksfctl info)" "$(cat "$TMP/batch.out")"
	k=$(ip netns exec $ns ksfctl key show | grep -c . || true)
	[ "$k" = 0 ] && ksft_ok "round $r: no key left" || ksft_fail "round $r: no key left" "$k"
done
# The same race, then the instance goes away before the keys' max-age.
parent=$(race_setup ksft-race4) && race_run ksft-race4 "$parent" &&
	ksft_check "ip netns del right after the race" ip netns del ksft-race4 ||
	ksft_fail "netns round: setup and race"
parent=$(race_setup ksft-race5) && race_run ksft-race5 "$parent" ||
	ksft_fail "rmmod round: setup and race"
ip netns del ksft-race5
knob dbg_arm_delay_ms 0
ksft_check "rmmod ksf right after the race" rmmod ksf
sleep 5		# past the max-age (3 s) of every key derived above
ksft_check "insmod ksf again" insmod "${KSF_KO:-/ksf/ksf.ko}"
ksft_dmesg_check "no kernel report once the keys' max-age passed"

# ---- 2. saves while keys are created and deleted (item 4) ----
# The knob makes a save wait between a key's metadata and its material,
# where the churn deletes keys.  A save may hold a key or not; if it does,
# the restored key must MAC as the key did.
ksft_dmesg_mark
if command -v keyctl >/dev/null 2>&1; then
	head -c 32 /dev/urandom >"$TMP/kek"
	kek=$(keyctl padd user ksf:race-kek @u <"$TMP/kek")
	ksfctl peer add nf1 kind nf uid 0 services all algs all >/dev/null
	ksf-state churn nf1 1 24 >"$TMP/macs" 2>/dev/null
	knob dbg_save_delay_ms 40
	ksf-state churn nf1 30 24 >>"$TMP/macs" 2>"$TMP/churn.err" &
	churn=$!
	sleep 1
	saved=0
	for s in 1 2 3 4; do
		ksfctl save keyring "$kek" file "$TMP/blob$s" 2>"$TMP/save.err" && saved=$((saved + 1))
		kill -0 $churn 2>/dev/null || break
	done
	kill $churn 2>/dev/null
	wait $churn 2>/dev/null
	knob dbg_save_delay_ms 0
	[ "$saved" -ge 2 ] && ksft_ok "$saved saves while keys come and go" ||
		ksft_fail "saves while keys come and go" "$saved saves" "$(cat "$TMP/save.err")"
	for s in $(seq 1 "$saved"); do
		ip netns add ksft-race6
		ip netns exec ksft-race6 ksfctl restore keyring "$kek" file "$TMP/blob$s" 2>"$TMP/r.err"
		ip netns exec ksft-race6 ksf-state macs >"$TMP/rmacs" 2>&1
		n=$(grep -c . "$TMP/rmacs")
		bad=$(grep -vxF -f "$TMP/macs" "$TMP/rmacs" | head -n 3)
		[ "$n" -gt 0 ] && [ -z "$bad" ] &&
			ksft_ok "save $s: each of its $n restored keys MACs as before the save" ||
			ksft_fail "save $s: each restored key MACs as before the save" "$n keys" \
				"not as before: $bad" "$(cat "$TMP/r.err")"
		ip netns del ksft-race6
	done
	ksfctl peer del nf1
	keyctl unlink "$kek" @u >/dev/null 2>&1
else
	ksft_ok "# SKIP keyctl not available"
fi

# ---- 3. binding swapped whole (item 12) ----
# nf1 is bound to gid 2000; it becomes uid 1001 and gid 2001.  A process
# of uid 1002, gid 2001 must never act as nf1: not before, not after, not
# while peer set runs (the knob holds it in the middle of the change).
ksfctl peer add nf1 kind nf gid 2000 services all algs all >/dev/null
kb=$(ksfctl key add type generic len 32 usage mac owner nf1)
as_other() { ksf-runas 1002 2001 ksfctl service mac-generate alg hmac-sha256 key "$kb" data 00; }
as_other >/dev/null 2>&1 && ksft_fail "uid 1002 gid 2001 is not nf1 before the change" ||
	ksft_ok "uid 1002 gid 2001 is not nf1 before the change"
knob dbg_bind_delay_ms 1500
ksfctl peer set nf1 uid 1001 gid 2001 &
set_pid=$!
hits=0
for i in 1 2 3 4 5 6; do
	sleep 0.2
	as_other >/dev/null 2>&1 && hits=$((hits + 1))
done
wait $set_pid
set_rc=$?
knob dbg_bind_delay_ms 0
[ $set_rc = 0 ] && ksft_ok "peer set to uid 1001 gid 2001" || ksft_fail "peer set to uid 1001 gid 2001"
[ $hits = 0 ] && ksft_ok "uid 1002 gid 2001 never acts as nf1 during the change" ||
	ksft_fail "uid 1002 gid 2001 never acts as nf1 during the change" "$hits requests served"
as_other >/dev/null 2>&1 && ksft_fail "uid 1002 gid 2001 is not nf1 after the change" ||
	ksft_ok "uid 1002 gid 2001 is not nf1 after the change"
t_match "uid 1001 gid 2001 is nf1 after the change" '^0 ok data [0-9a-f]{64}$' \
	ksf-runas 1001 2001 ksfctl service mac-generate alg hmac-sha256 key "$kb" data 00
ksfctl peer del nf1

# ---- 4. a timer during a restore (issue 12, item 5) ----
# nf2 has a 200 ms timer and enough contexts for the save to take two
# segments.  Another instance restores the header and the first segment
# (nf2, its policy and timer, its key) and holds the restore open: no
# timer result may come until the restore is done; after a full restore
# the timer runs.
ksft_dmesg_mark
wait_re() { # FILE REGEX: up to 10 s
	local n=100
	while [ $n -gt 0 ] && ! grep -qE -- "$2" "$1" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
}
timer_results() { grep -c '^timer-result peer nf2$' "$1"; }
if command -v keyctl >/dev/null 2>&1; then
	head -c 32 /dev/urandom >"$TMP/tkek"
	tkek=$(keyctl padd user ksf:race-tkek @u <"$TMP/tkek")
	ksfctl peer add nf2 kind nf uid 0 services all algs all >/dev/null
	kt=$(ksfctl key add type generic len 32 usage mac owner nf2)
	ksf-state fill nf2 3000 imsi-t >/dev/null
	ksfctl peer set nf2 timer 200 "mac-generate alg hmac-sha256 key $kt data 00"
	ksfctl save keyring "$tkek" file "$TMP/tblob"
	ksfctl peer del nf2
	ip netns add ksft-race7
	ip netns exec ksft-race7 ksfctl monitor >"$TMP/tmon" 2>&1 &
	TMON=$!
	ksft_wait_netlink $TMON || ksft_diag "monitor did not open its socket"
	sleep 0.5
	ip netns exec ksft-race7 ksf-state restore-partial "$TMP/tblob" 2 "$tkek" --hold 60 \
		>"$TMP/thold" 2>&1 &
	THOLD=$!
	wait_re "$TMP/thold" .
	t_ack=$(cat "$TMP/thold")
	held=$(ip netns exec ksft-race7 ksfctl peer get nf2 2>&1 | grep -c 'timer')
	[ "${t_ack%% *}" = ack ] && [ "$held" -gt 0 ] &&
		ksft_ok "restore held open after its first segment: nf2 and its timer are back" ||
		ksft_fail "restore held open after its first segment: nf2 and its timer are back" \
			"restore-partial: $t_ack" "timer lines in peer get: $held"
	sleep 1.5
	n=$(timer_results "$TMP/tmon")
	[ "$n" = 0 ] && ksft_ok "no timer runs while the restore is open" ||
		ksft_fail "no timer runs while the restore is open" "$n timer results in 1.5 s"
	kill "$THOLD" 2>/dev/null
	wait "$THOLD" 2>/dev/null
	THOLD=
	ksft_check "a full restore after that" \
		ip netns exec ksft-race7 ksfctl restore keyring "$tkek" file "$TMP/tblob"
	n0=$(timer_results "$TMP/tmon")
	sleep 1.5
	n=$(( $(timer_results "$TMP/tmon") - n0 ))
	[ "$n" -ge 2 ] && ksft_ok "once the restore is done, the timer runs ($n results in 1.5 s)" ||
		ksft_fail "once the restore is done, the timer runs" "$n results in 1.5 s"
	kill "$TMON" 2>/dev/null
	wait "$TMON" 2>/dev/null
	TMON=
	ip netns del ksft-race7
	keyctl unlink "$tkek" @u >/dev/null 2>&1
else
	ksft_fail "keyctl is needed to hold a restore open"
fi

ksft_dmesg_check "no kernel report"
ksft_done
