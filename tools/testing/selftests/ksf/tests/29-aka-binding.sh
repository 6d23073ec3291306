#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# AKA binding (hardening issue, finding 8), black box through ksfctl:
#  - the USIM's SQN state belongs to K (one USIM = one K): naming another
#    subscriber does not give a replayed AUTN fresh state;
#  - the ME refuses an AUTN whose AMF separation bit is 0 (TS 33.501
#    6.1.3.2, NAS cause #26);
#  - aka-vector takes a caller-chosen AMF field only with caller-rand.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
S="ksfctl service"
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
SNN=5G:mnc001.mcc001.3gppnetwork.org
anyrc() { "$@"; true; }	# a result that is not ok exits 3
get() { printf '%s\n' "$2" | sed -n "s/.* $1 \([0-9a-fx]*\).*/\1/p"; }

ksfctl peer add udm kind nf uid 0 services aka-vector,aka-resync algs milenage >/dev/null
ksfctl peer add usim kind nf uid 4242 services aka-response algs milenage >/dev/null
hk=$(echo $K | ksfctl key add type k owner udm material-hex -)
ho=$(echo $OPC | ksfctl key add type opc owner udm material-hex -)
uk=$(echo $K | ksfctl key add type k owner usim material-hex -)
uo=$(echo $OPC | ksfctl key add type opc owner usim material-hex -)
# the UDM's requests run as root (uid 0), the USIM's as uid 4242
as() { # PEER CMD...
	if [ "$1" = usim ]; then shift; ksf-runas 4242 4242 "$@"; else shift; "$@"; fi
}

# A USIM starts at SQN_MS 0: the first vector of a fresh subscriber has
# SQN 32 (SEQ 1, IND 0) and is fresh.
v=$(as udm $S aka-vector key "$hk" key2 "$ho" snn $SNN subscriber imsi-1)
rand=$(get rand "$v") autn=$(get autn "$v")
t_match "udm: a vector" '^0 ok key ' echo "$v"
t_match "usim: the vector is accepted" '^0 ok key 0x[0-9a-f]{16} res [0-9a-f]{32}' \
	as usim $S aka-response key "$uk" key2 "$uo" rand "$rand" autn "$autn" snn $SNN subscriber imsi-1
t_match "usim: the same AUTN again is refused (replay)" '^0 error EAGAIN auts ' \
	anyrc as usim $S aka-response key "$uk" key2 "$uo" rand "$rand" autn "$autn" snn $SNN subscriber imsi-1
t_match "usim: replayed under another subscriber name: refused too" '^0 error EAGAIN auts ' \
	anyrc as usim $S aka-response key "$uk" key2 "$uo" rand "$rand" autn "$autn" snn $SNN subscriber imsi-other
t_match "usim: replayed with no subscriber named: refused too" '^0 error EAGAIN auts ' \
	anyrc as usim $S aka-response key "$uk" key2 "$uo" rand "$rand" autn "$autn" snn $SNN
t_match "the USIM's state is K's context" "^  subscriber: usim-${uk#0x}\$" \
	sh -c "ksfctl context show usim usim-${uk#0x}"
t_true "no context was made for the names the caller gave" \
	sh -c "! ksfctl context show usim imsi-other 2>/dev/null"
v=$(as udm $S aka-vector key "$hk" key2 "$ho" snn $SNN subscriber imsi-1)
t_match "usim: the next vector is accepted under any name" '^0 ok key ' \
	as usim $S aka-response key "$uk" key2 "$uo" rand "$(get rand "$v")" autn "$(get autn "$v")" \
	snn $SNN subscriber whatever

# The AMF field.
t_res "udm: a caller-chosen AMF needs caller-rand" \
	'0 rejected EPERM reason "caller-supplied AMF field needs caller-rand in the trusted policy"' \
	as udm $S aka-vector key "$hk" key2 "$ho" snn $SNN subscriber imsi-1 amf 8000
ksfctl peer set udm caller-rand on >/dev/null
v=$(as udm $S aka-vector key "$hk" key2 "$ho" snn $SNN subscriber imsi-1 amf 0000)
t_match "udm with caller-rand: a vector with AMF 0000" '^0 ok ' echo "$v"
t_res "usim: AMF separation bit 0 is refused with cause #26" \
	'0 error EPROTO reason "AMF separation bit 0: non-5G authentication unacceptable (#26)"' \
	as usim $S aka-response key "$uk" key2 "$uo" rand "$(get rand "$v")" autn "$(get autn "$v")" snn $SNN
v=$(as udm $S aka-vector key "$hk" key2 "$ho" snn $SNN subscriber imsi-1 amf 8000)
t_match "usim: the next vector (AMF 8000) is still accepted (the refusal moved nothing)" '^0 ok key ' \
	as usim $S aka-response key "$uk" key2 "$uo" rand "$(get rand "$v")" autn "$(get autn "$v")" snn $SNN

ksfctl peer del udm
ksfctl peer del usim
ksft_dmesg_check "no kernel report"
ksft_done
