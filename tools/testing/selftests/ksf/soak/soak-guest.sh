#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Inside the test VM (run-soak.sh boots it): the soak.
#   soak-guest.sh SECONDS OUTDIR [INTERVAL]
#
# In a fresh network namespace, for SECONDS, all at once:
#   - NF traffic: NF_PROCS ksf-soak processes, each the nf peer of its own
#     uid (ksf-runas), sending mac/verify, kdf (keys of a 2 s lifetime),
#     encrypt/decrypt, NAS contexts protect/unprotect and AKA
#     vector/response through libksf;
#   - admin changes: key rotation (new keys published, old ones deleted in
#     use), policy changes, short-lived peers with keys and contexts,
#     context deletion, deletion and re-creation of a peer in use;
#   - save/restore cycles: ksfctl save of the busy instance, restore into a
#     fresh network namespace (torn down after);
#   - key expiry: keys of 1-5 s lifetimes that expire in use or idle.
# Every INTERVAL s (default 10, 5 for runs under 2 min) a sample (ksf-soak
# monitor): time, ops/s, Slab and SUnreclaim (/proc/meminfo), ksf's mem
# (these three: means of one reading a second; key expiry makes ksf's mem
# a sawtooth), objects (get-info) and mem per object: a table on stdout,
# OUTDIR/soak.tsv.  At the end: traffic stopped, everything deleted, ksf's
# mem must be 0, kmemleak scanned (no entry at all), the kernel
# log clean (ksft.sh's patterns), memory flat over the second half
# (least-squares slopes of ksf's mem per object and of SUnreclaim,
# bounded), ops/s never 0 in an interval.  Exit status 0 only then;
# OUTDIR/verdict.txt says why not.
# SOAK_INJECT=CMD runs CMD at half time (to check the checks, e.g. insmod
# the harness's misbehaving module: a WARN and a leak must fail the soak).
set -u
[ -n "${KSF_SOAK_NS:-}" ] || KSF_SOAK_NS=1 exec unshare -n bash "$0" "$@"
# shellcheck source=../ksft.sh
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"

DUR=${1:?usage: soak-guest.sh SECONDS OUTDIR [INTERVAL]}
OUT=${2:?usage: soak-guest.sh SECONDS OUTDIR [INTERVAL]}
IVL=${3:-$([ "$DUR" -lt 120 ] && echo 5 || echo 10)}
NF_PROCS=${NF_PROCS:-3}
# the nf peers' lifetime-max: K_AUSF and NAS keys the services create
# (NAS contexts keep theirs) expire after that many seconds, in use;
# derived keys after 2 s
LIFETIME=${LIFETIME:-4}
# Growth allowed over the second half, % of the half's mean + bytes: of
# ksf's mem per object (its mem itself follows the objects in flight, which
# follow ops/s: derived, K_AUSF and NAS keys live 2-4 s; printed, not
# judged) and of SUnreclaim.
KSF_GROWTH_PCT=${KSF_GROWTH_PCT:-10} KSF_GROWTH_ABS=${KSF_GROWTH_ABS:-32}
SLAB_GROWTH_PCT=${SLAB_GROWTH_PCT:-5} SLAB_GROWTH_ABS=${SLAB_GROWTH_ABS:-2097152}
W=$(mktemp -d /tmp/soak.XXXXXX)
chmod 1777 "$W"
mkdir -p "$OUT"
TSV=$OUT/soak.tsv
VERDICT=$OUT/verdict.txt
PIDS=
FAILS=

fail() { FAILS="$FAILS$1"$'\n'; echo "soak: FAIL: $1"; }
stopped() { [ -e "$W/stop" ]; }
hex32() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
key() { ksfctl key add "$@" 2>>"$W/admin.err"; }

cleanup() {
	touch "$W/stop"
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	[ -z "${KEK:-}" ] || keyctl unlink "$KEK" @u >/dev/null 2>&1
}
trap cleanup EXIT

# ---- admin ----

peer_add() {	# NAME UID
	ksfctl peer add "$1" kind nf uid "$2" services all algs all lifetime-max "$LIFETIME" \
		>/dev/null 2>>"$W/admin.err"
}

# New keys for nf peer $1, published in $W/keys.$1 (ksf-soak re-reads it);
# the handles they replace are left in $W/old.$1.
provision() {
	local p=$1 m
	m=$(hex32)	# an imported key too
	{
		echo "mac $(key type generic len 32 usage mac,verify owner "$p")"
		echo "derive $(key type generic len 32 usage derive owner "$p")"
		echo "aes $(key type aes len 16 usage encrypt,decrypt owner "$p")"
		echo "k $(key type k len 16 owner "$p")"
		echo "opc $(key type opc len 16 owner "$p")"
		echo "kamf $(echo "$m" | key type generic usage derive owner "$p" material-hex -)"
		echo "exp $(key type generic len 32 usage mac,verify owner "$p" max-age $((1 + RANDOM % 5)))"
	} >"$W/keys.$p.tmp"
	[ -f "$W/keys.$p" ] && cat "$W/keys.$p" >"$W/old.$p"
	mv "$W/keys.$p.tmp" "$W/keys.$p"
	chmod 644 "$W/keys.$p"
}

# Keys rotated while in use: the old ones deleted 1 s after the new ones
# are published (an expired one is already gone).
rotate() {
	local p=$1 n h
	provision "$p"
	sleep 1
	while read -r n h; do
		ksfctl key del "$h" >/dev/null 2>&1
	done <"$W/old.$p"
}

# Policy changes: batch-max, and for 1 s without the AKA services.
policy() {
	local p=$1
	ksfctl peer set "$p" batch-max $((8 + RANDOM % 92)) >/dev/null 2>>"$W/admin.err"
	ksfctl peer set "$p" services mac-generate,mac-verify,kdf,encrypt,decrypt,nas-context,nas-protect,nas-unprotect \
		>/dev/null 2>>"$W/admin.err"
	sleep 1
	ksfctl peer set "$p" services all >/dev/null 2>>"$W/admin.err"
}

# A short-lived peer with keys (some expiring) and a context, deleted.
transient() {
	local p=tmp$1
	peer_add "$p" $((3000 + $1 % 100)) || return
	key type generic len 32 usage mac owner "$p" >/dev/null
	key type generic len 32 usage derive owner "$p" max-age 1 >/dev/null
	key type aes len 32 usage encrypt owner "$p" max-age $((1 + RANDOM % 3)) >/dev/null
	ksfctl context new "$p" imsi-00101000000$((RANDOM % 10)) >/dev/null 2>>"$W/admin.err"
	sleep 0.$((RANDOM % 10))
	ksfctl peer del "$p" >/dev/null 2>>"$W/admin.err"
}

# The contexts of nf peer $1 deleted under its traffic.
ctx_del() {
	local h
	for h in $(ksfctl context show 2>/dev/null |
		   awk -v p="$1" '/^context /{h=$2} /^  peer: /{if ($2 == p) print h}'); do
		ksfctl context del "$h" >/dev/null 2>&1
	done
}

# nf peer $1 deleted in use (its keys, derived keys with armed expiry,
# contexts with it) and created again with new keys.
recreate() {
	ksfctl peer del "$1" >/dev/null 2>>"$W/admin.err"
	peer_add "$1" "$2"
	provision "$1"
}

# Keys of 1-3 s lifetimes that expire idle, and a new short-lived "exp"
# key in use (the one it replaces deleted, unless it expired already).
expiring() {
	local p=$1 i old
	for i in 1 2 3 4; do
		key type generic len 32 usage mac owner "$p" max-age $((1 + RANDOM % 3)) >/dev/null
	done
	old=$(sed -n 's/^exp //p' "$W/keys.$p")
	{
		grep -v '^exp ' "$W/keys.$p"
		echo "exp $(key type generic len 32 usage mac,verify owner "$p" max-age $((1 + RANDOM % 5)))"
	} >"$W/keys.$p.tmp"
	chmod 644 "$W/keys.$p.tmp"
	mv "$W/keys.$p.tmp" "$W/keys.$p"
	ksfctl key del "$old" >/dev/null 2>&1
}

admin_loop() {
	local r=0 i
	while ! stopped; do
		i=$((1 + RANDOM % NF_PROCS))
		case $((r % 6)) in
		0) rotate nf$i ;;
		1) policy nf$i ;;
		2) transient $r ;;
		3) ctx_del nf$i ;;
		4) if [ $((r % 12)) = 4 ]; then recreate nf$i $((2000 + i)); else expiring nf$i; fi ;;
		5) expiring nf$i ;;
		esac
		r=$((r + 1))
		echo $r >"$W/admin.rounds"
		sleep 0.5
	done
}

# ---- save / restore ----

saverestore_loop() {
	local ok=0 bad=0
	while ! stopped; do
		if ksfctl save keyring "$KEK" file "$W/blob" 2>>"$W/save.err" &&
		   unshare -n sh -c "ksfctl restore keyring $KEK file $W/blob && ksfctl info" \
			>"$W/restored" 2>>"$W/save.err"; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
		fi
		echo "$ok $bad" >"$W/save.count.tmp"
		mv "$W/save.count.tmp" "$W/save.count"
		sleep 3
	done
}

# ---- samples: ksf-soak monitor ----

info_field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$W/info"; }

# ---- verdicts ----

# Least-squares slope (bytes/s) of column $1 over samples with t >= T/2,
# times the half's span: the growth it projects; and the half's mean.
growth() {
	awk -F'\t' -v c="$1" -v half="$((DUR / 2))" 'NR > 1 && $1 >= half {
		n++; x = $1; y = c == "obj" ? $6 + $7 + $8 : $c; sx += x; sy += y; sxx += x * x; sxy += x * y
		if (n == 1) x0 = x; x1 = x
	} END {
		if (n < 3) { print "0 0 " n; exit }
		d = n * sxx - sx * sx
		s = d ? (n * sxy - sx * sy) / d : 0
		printf "%.0f %.0f %d\n", s * (x1 - x0), sy / n, n
	}' "$TSV"
}

# Growth of column $2 (obj: peers + keys + contexts) over the second half,
# printed.
info_growth() {
	local g mean n
	read -r g mean n <<<"$(growth "$2")"
	echo "soak: $1: $g over the second half (mean $mean; follows ops/s, not judged)"
}

flat() {	# NAME COLUMN PCT ABS
	local g mean n lim
	read -r g mean n <<<"$(growth "$2")"
	lim=$((mean * $3 / 100 + $4))
	if [ "$n" -lt 3 ]; then
		fail "$1: too few samples in the second half ($n)"
	elif [ "$g" -gt "$lim" ]; then
		fail "$1 not flat: grows $g bytes over the second half (mean $mean; bound $lim = $3% + $4)"
	else
		echo "soak: $1 flat: $g bytes over the second half (mean $mean, bound $lim = $3% + $4)"
	fi
}

traffic_check() {
	local zero
	zero=$(awk -F'\t' 'NR > 1 && $1 > 0 && $2 + 0 == 0 { printf "%s ", $1 }' "$TSV")
	if [ -n "$zero" ]; then
		fail "no NF traffic in the interval ending at t = $zero s"
	else
		echo "soak: NF traffic in every interval"
	fi
}

# Delete every peer (their keys and contexts go with them): all back to 0.
teardown_check() {
	local p n=0
	for p in $(ksfctl peer show 2>/dev/null | awk '/^peer /{ print $2 }'); do
		ksfctl peer del "$p" >/dev/null || fail "peer del $p at the end"
	done
	while [ $n -lt 50 ]; do
		ksfctl -j info >"$W/info"
		[ "$(info_field mem)" = 0 ] && break
		sleep 0.1
		n=$((n + 1))
	done
	echo "soak: at the end: $(cat "$W/info")"
	if [ "$(info_field mem)" != 0 ] || [ "$(info_field peers)" != 0 ] ||
	   [ "$(info_field keys)" != 0 ] || [ "$(info_field contexts)" != 0 ]; then
		fail "ksf mem/objects not 0 after everything was deleted: $(cat "$W/info")"
	fi
}

kmemleak_check() {
	local f=/sys/kernel/debug/kmemleak total ksf
	if [ ! -w $f ]; then
		echo "soak: kmemleak: not in this kernel"
		return
	fi
	sleep 6		# kmemleak reports objects older than 5 s
	echo scan >$f
	echo scan >$f
	cat $f >"$OUT/kmemleak.txt"
	total=$(grep -c '^unreferenced object' "$OUT/kmemleak.txt")
	ksf=$(awk '/^unreferenced object/ { o = 0 } /\[ksf\]|ksf_/ && !o { n++; o = 1 } END { print n + 0 }' \
		"$OUT/kmemleak.txt")
	echo "soak: kmemleak: $total suspect(s), $ksf with a ksf frame ($OUT/kmemleak.txt)"
	# as vm-run: any suspect fails (a leak of a module's init has no frame
	# naming it)
	[ "$total" = 0 ] || fail "kmemleak: $total suspected leak(s), $ksf with a ksf frame"
}

dmesg_check() {
	dmesg | tail -n +$((DMESG0 + 1)) | grep -v 'BUG: KCSAN: ' >"$W/dmesg"
	grep -E -A20 "$KSFT_DMESG_BAD" "$W/dmesg" >"$OUT/kernel-reports.txt"
	local n
	n=$(grep -cE "$KSFT_DMESG_BAD" "$W/dmesg")
	echo "soak: kernel log: $n report line(s) (KASAN, UBSAN, lockdep, WARN, BUG...)"
	[ "$n" = 0 ] || { fail "kernel reports in the log:"; head -n 40 "$OUT/kernel-reports.txt"; }
}

# ---- main ----

start() {
	local i
	head -c 32 /dev/urandom >"$W/kek"
	KEK=$(keyctl padd user ksf:soak-kek @u <"$W/kek")
	rm -f "$W/kek"
	for i in $(seq "$NF_PROCS"); do
		peer_add "nf$i" $((2000 + i)) || { echo "soak: cannot add peer nf$i"; cat "$W/admin.err"; exit 1; }
		provision "nf$i"
	done
	for i in $(seq "$NF_PROCS"); do
		ksf-runas $((2000 + i)) $((2000 + i)) ksf-soak nf "$W" "nf$i" >"$W/nf$i.out" 2>&1 &
		NF_PIDS="${NF_PIDS:-} $!"
	done
	PIDS="$NF_PIDS"
	admin_loop &
	PIDS="$PIDS $!"
	saverestore_loop &
	PIDS="$PIDS $!"
}

stop() {
	local p rc=0
	touch "$W/stop"
	for p in $NF_PIDS; do
		wait "$p" || rc=1
	done
	wait
	PIDS=
	cat "$W"/nf*.out
	[ $rc = 0 ] || fail "an NF process failed (a wrong result: BAD lines above)"
	grep -h 'BAD' "$W"/nf*.out | head -n 20
	echo "soak: admin rounds $(cat "$W/admin.rounds" 2>/dev/null || echo 0)," \
		"save/restore cycles ok/failed: $(cat "$W/save.count" 2>/dev/null || echo '0 0')"
	if [ -s "$W/save.err" ]; then
		echo "soak: save/restore errors (first 5 of $(wc -l <"$W/save.err")):"
		head -n 5 "$W/save.err" | sed 's/^/  /'
	fi
	[ ! -s "$W/admin.err" ] || { echo "soak: admin errors (first 5 of $(wc -l <"$W/admin.err")):"
				     sort "$W/admin.err" | uniq -c | sort -rn | head -n 5; }
	read -r _ p <<<"$(cat "$W/save.count" 2>/dev/null || echo '0 0')"
	[ "$p" = 0 ] || fail "$p save/restore cycle(s) failed"
}

main() {
	DMESG0=$(dmesg | wc -l)
	printf 't_s\tops_per_s\tslab\tsunreclaim\tksf_mem\tpeers\tkeys\tcontexts\tsave_ok_fail\tksf_mem_per_object\n' >"$TSV"
	echo "soak: ${DUR} s, ${NF_PROCS} NF processes, a sample every ${IVL} s ($TSV)"
	start
	if [ -n "${SOAK_INJECT:-}" ]; then
		(sleep $((DUR / 2)); echo "soak: injecting: $SOAK_INJECT"; eval "$SOAK_INJECT") &
	fi
	ksf-soak monitor "$W" "$DUR" "$IVL" "$TSV" || fail "ksf-soak monitor failed"
	stop
	traffic_check
	flat "ksf mem per object" 10 "$KSF_GROWTH_PCT" "$KSF_GROWTH_ABS"
	info_growth "ksf mem" 5
	info_growth "ksf objects" obj
	flat "SUnreclaim" 4 "$SLAB_GROWTH_PCT" "$SLAB_GROWTH_ABS"
	teardown_check
	kmemleak_check
	dmesg_check
	if [ -z "$FAILS" ]; then
		echo "PASS" >"$VERDICT"
		echo "soak: PASS"
		return 0
	fi
	printf 'FAIL\n%s' "$FAILS" >"$VERDICT"
	printf 'soak: FAIL:\n%s' "$FAILS"
	return 1
}

main
