#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The 5G AKA part of the demo (sourced by demo-guest.sh, or run alone in
# the VM): three hosts, each a network namespace with its own ksf
# instance, and the NF processes on them that only ever see handles.
#
#   ue     the USIM and the ME: K and OPc provisioned in its ksf
#   amf    the serving network's AMF/SEAF: relays, checks HRES* = HXRES*
#   home   the home network's UDM/ARPF and AUSF: K and OPc in its ksf
#
# RAND, AUTN, RES*, XRES* and HXRES* are not secret and travel through the
# NFs (over the veth links, with nc); CK, IK, K_AUSF and K_SEAF never leave
# the two kernels that compute them.  That K_SEAF is the same on both ends
# is shown through the keys derived from it: a NAS message protected under
# one side's NAS context (K_AMF from K_SEAF) verifies on the other side.
# K_SEAF itself is a derive-only key: nothing MACs under it.  Carrying K_AUSF
# sealed from home to another host's ksf is issue 4/7 (MSG_DELIVER).
set -euo pipefail

SNN=5G:mnc001.mcc001.3gppnetwork.org
SUPI=imsi-001010000000001
# TS 35.208 test set 1 subscriber: K and OPc (test values, not secrets)
SUB_K=465b5ce8b199b49faa5f0a2ee238a6bc
SUB_OPC=cd63cb71954a9f4e48a5994e37a02baf

aka_say() { printf '\n=== %s\n' "$*"; }
aka_on() {	# aka_on HOST CMD...: run CMD in HOST's namespace, showing it
	local h=$1
	shift
	printf '[%s]$ %s\n' "$h" "$*" >&2
	ip netns exec "$h" "$@"
}
# field NAME: the value after NAME in a ksfctl result line
field() { sed -n "s/.* $1 \([^ ]*\).*/\1/p"; }

# send FROM TO MSG: FROM's NF sends one line to TO's NF over the veth link
send() {
	local to_ip=$3 msg=$4 err i=0 listener
	ip netns exec "$2" sh -c 'nc -l -p 3868 > /tmp/aka-msg-'"$2" &
	listener=$!
	# the listener may start late on a loaded host: retry a refused
	# connection (with one try the demo waited forever for the listener)
	while :; do
		err=$(printf '%s\n' "$msg" | ip netns exec "$1" nc -w 2 "$to_ip" 3868 2>&1 >/dev/null)
		case $err in
		*"can't connect"* | *refused*) ;;
		*) break ;;
		esac
		i=$((i + 1))
		if [ $i -ge 100 ]; then
			echo "send: $2 ($to_ip) does not listen: $err" >&2
			kill $listener 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait
	printf '  %s -> %s (%s): %s\n' "$1" "$2" "$to_ip" "$msg" >&2
	cat "/tmp/aka-msg-$2"
}

aka_hosts() {
	local h
	for h in ue amf home; do
		ip netns add "$h"
		ip netns exec "$h" ip link set lo up
	done
	ip link add v-ue type veth peer name v-amf-ue
	ip link add v-home type veth peer name v-amf-home
	ip link set v-ue netns ue
	ip link set v-amf-ue netns amf
	ip link set v-home netns home
	ip link set v-amf-home netns amf
	ip netns exec ue ip addr add 10.6.1.2/24 dev v-ue
	ip netns exec amf ip addr add 10.6.1.1/24 dev v-amf-ue
	ip netns exec home ip addr add 10.6.2.2/24 dev v-home
	ip netns exec amf ip addr add 10.6.2.1/24 dev v-amf-home
	for h in "ue v-ue" "amf v-amf-ue" "home v-home" "amf v-amf-home"; do
		set -- $h
		ip netns exec "$1" ip link set "$2" up
	done
}

aka_cleanup() {
	local h
	for h in ue amf home; do ip netns del "$h" 2>/dev/null || true; done
}

# provision HOST PEER: the NF peer and the subscriber's K and OPc
aka_provision() {
	local h=$1 p=$2
	aka_on "$h" ksfctl peer add "$p" kind nf uid 0 \
		services aka-vector,aka-response,kdf,nas-context,nas-protect,nas-unprotect \
		algs milenage,kdf-sha256,nia2,nea2 >&2
	K=$(echo $SUB_K | aka_on "$h" ksfctl key add type k owner "$p" \
		material-hex -)
	OPC=$(echo $SUB_OPC | aka_on "$h" ksfctl key add type opc owner "$p" \
		material-hex -)
	printf '  %s: K is %s, OPc is %s (handles; the bytes stay in the kernel)\n' \
		"$h" "$K" "$OPC" >&2
}

step_5g_aka() {
	local hk hopc uk uopc av rand autn xres hxres hkausf sqn
	local ue_res ukausf ok hseaf useaf msg hres amf_hxres

	aka_say "5G AKA across three hosts: ue, amf, home (UDM/ARPF + AUSF)"
	aka_hosts
	trap aka_cleanup RETURN
	aka_provision home udm-ausf
	aka_on amf ksfctl peer add seaf kind nf uid 0 services hres-star \
		algs sha256 >&2
	hk=$K hopc=$OPC
	aka_provision ue usim
	uk=$K uopc=$OPC

	aka_say "home: the UDM asks its ksf for a 5G HE AV (Milenage; the SQN is kept in the subscriber's context)"
	av=$(aka_on home ksfctl service aka-vector subscriber $SUPI key "$hk" key2 "$hopc" snn $SNN)
	echo "  $av"
	rand=$(echo "$av" | field rand)
	autn=$(echo "$av" | field autn)
	xres=$(echo "$av" | field res)
	hxres=$(echo "$av" | field hres)
	hkausf=$(echo "$av" | field key)
	sqn=$(echo "$av" | field sqn)
	echo "  SQN $sqn; K_AUSF stays in home's ksf as $hkausf"

	aka_say "home -> amf: RAND, AUTN, HXRES* (XRES* stays home)"
	msg=$(send home amf 10.6.2.1 "$rand $autn $hxres")
	amf_hxres=${msg##* }
	aka_say "amf -> ue: RAND, AUTN in the Authentication Request"
	msg=$(send amf ue 10.6.1.2 "$rand $autn")

	aka_say "ue: the USIM checks AUTN (MAC, SQN freshness) in its ksf"
	ue_res=$(aka_on ue ksfctl service aka-response subscriber $SUPI key "$uk" key2 "$uopc" \
		snn $SNN rand "${msg%% *}" autn "${msg##* }")
	echo "  $ue_res"
	ukausf=$(echo "$ue_res" | field key)

	aka_say "ue -> amf: RES*; the SEAF checks HRES* = HXRES* in its ksf (A.5)"
	msg=$(send ue amf 10.6.1.1 "$(echo "$ue_res" | field res)")
	hres=$(aka_on amf ksfctl service hres-star rand "$rand" res "$msg" |
		field hres)
	if [ "$hres" = "$amf_hxres" ]; then ok=yes; else ok=no; fi
	echo "  amf (SEAF): HRES* $hres = HXRES*: $ok"
	[ $ok = yes ] || { echo "HRES* CHECK FAILED" >&2; return 1; }
	aka_say "amf -> home: RES*"
	msg=$(send amf home 10.6.2.2 "$msg")
	if [ "$msg" = "$xres" ]; then ok=yes; else ok=no; fi
	echo "  home (AUSF): RES* = XRES*: $ok"
	[ $ok = yes ] || { echo "5G AKA FAILED" >&2; return 1; }

	aka_say "both ends derive K_SEAF = KDF(K_AUSF, 0x6C, SNN) in their ksf"
	local snn_hex
	snn_hex=$(printf '%s' $SNN | od -An -tx1 | tr -d ' \n')
	hseaf=$(aka_on home ksfctl service kdf key "$hkausf" fc 0x6c \
		param "$snn_hex" | field key)
	useaf=$(aka_on ue ksfctl service kdf key "$ukausf" fc 0x6c \
		param "$snn_hex" | field key)
	echo "  K_SEAF: home $hseaf, ue $useaf (different handles, different kernels)"

	aka_say "both ends derive K_AMF = KDF(K_SEAF, 0x6D, SUPI, ABBA) and NAS keys (NIA2/NEA2) in their ksf"
	local supi_hex hamf uamf p data mac count plain
	supi_hex=$(printf '%s' "${SUPI#imsi-}" | od -An -tx1 | tr -d ' \n')
	hamf=$(aka_on home ksfctl service kdf key "$hseaf" fc 0x6d \
		param "$supi_hex" param 0000 | field key)
	uamf=$(aka_on ue ksfctl service kdf key "$useaf" fc 0x6d \
		param "$supi_hex" param 0000 | field key)
	aka_on home ksfctl service nas-context key "$hamf" subscriber $SUPI \
		int-alg nia2 enc-alg nea2
	aka_on ue ksfctl service nas-context key "$uamf" subscriber $SUPI \
		int-alg nia2 enc-alg nea2 direction 0
	echo "  K_SEAF, K_AMF, K_NASint, K_NASenc are derive-only or context keys:"
	echo "  no service MACs under K_SEAF, and the NAS keys serve only nas-protect/unprotect"

	aka_say "same keys? home protects a NAS Security Mode Command (standing in for the AMF until K_SEAF travels sealed); the ue's ksf verifies and deciphers it"
	p=$(aka_on home ksfctl service nas-protect subscriber $SUPI \
		data 7e005d020004f0f0f0f0)
	echo "  $p"
	data=$(echo "$p" | field data) mac=$(echo "$p" | field mac)
	count=$(echo "$p" | field count)
	msg=$(send home amf 10.6.2.1 "$((count & 255)) $data $mac")
	msg=$(send amf ue 10.6.1.2 "$msg")
	set -- $msg
	plain=$(aka_on ue ksfctl service nas-unprotect subscriber $SUPI \
		seq "$1" data "$2" mac "$3" | field data)
	echo "  ue: the message is $plain"
	[ "$plain" = 7e005d020004f0f0f0f0 ] || { echo "K_SEAF MISMATCH" >&2; return 1; }
	echo "  verified and deciphered: the two kernels hold the same K_SEAF and NAS keys;"
	echo "  no process ever saw them"

	aka_say "a replayed AUTN is refused by the USIM (SQN not fresh), with AUTS"
	aka_on ue ksfctl service aka-response subscriber $SUPI key "$uk" key2 "$uopc" snn $SNN \
		rand "$rand" autn "$autn" || true
	aka_say "the keys on each host (metadata only)"
	aka_on home ksfctl key show | grep -E '^key|usage|flags|source|parent' || true
	aka_say "the subscriber's contexts: SQN in the home network, the USIM's on the ue"
	aka_on home ksfctl context show
	aka_on ue ksfctl context show
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	step_5g_aka
fi
