#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Bad input a new user runs into (issue 10, item 14): values the kernel
# or ksfctl took silently (unknown mask bits, an SQN beyond 48 bits, an
# empty SNN, NAS items without COUNT/BEARER/DIRECTION, IDs with a NUL or
# a newline, out-len 0, octal numbers, repeated keywords); error messages
# that must name the attribute and its limit; policies as large as the
# kernel accepts must be shown (get and dump) and counted in info; timers
# and notify presets can be cleared; an unprivileged restore gets the
# permission error, not a parse error.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n bash "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
S="ksfctl service"
K=465b5ce8b199b49faa5f0a2ee238a6bc
OPC=cd63cb71954a9f4e48a5994e37a02baf
SNN=5G:mnc001.mcc001.3gppnetwork.org

# t_not DESC REGEX CMD...: CMD's output (stdout and stderr) does not match REGEX
t_not() {
	d=$1 re=$2
	shift 2
	o=$("$@" 2>&1)
	if printf '%s\n' "$o" | grep -qE -- "$re"; then
		ksft_fail "$d" "command: $(printf '%.200s' "$*")" "matched /$re/"
		printf '%s\n' "$o" | sed 's/^/#   | /'
	else
		ksft_ok "$d"
	fi
}

# t_st DESC STATUS REGEX CMD...: CMD exits STATUS, its whole output matches REGEX
t_st() {
	d=$1 st=$2 re=$3
	shift 3
	o=$("$@" 2>&1) && r=0 || r=$?
	if [ "$r" = "$st" ] && printf '%s\n' "$o" | grep -qE -- "$re"; then
		ksft_ok "$d"
	else
		ksft_fail "$d" "command: $(printf '%.200s' "$*")" "exit $r (wanted $st), wanted /$re/"
		printf '%s\n' "$o" | sed 's/^/#   | /'
	fi
}

ksfctl peer add nf kind nf uid 0 services all algs all
RAND=23553cbe9637a89d218ae64dae47bf35	# TS 35.208 test set 1 (18-aka)
XRES=f236a7417272bfb2d66d4d670733b527
HXRES=20a71900b01776bfd773e8c15a825446
kk=$(echo $K | ksfctl key add type k owner nf material-hex -)
ko=$(echo $OPC | ksfctl key add type opc owner nf material-hex -)
kn=$(echo $K | ksfctl key add type nas usage mac,verify owner nf material-hex -)
ke=$(echo $K | ksfctl key add type nas usage encrypt,decrypt owner nf material-hex -)
kg=$(ksfctl key add type generic len 32 owner nf)

# the number of services and algs this build knows (ksfctl's tables)
n_names() { ksfctl complete bash | sed -n "s/^	$1) echo \"\(.*\)\" ;;\$/\1/p" | wc -w; }
NSVC=$(n_names services) NALG=$(n_names algs)

# ---- values the kernel took silently ----
t_fail "a gid no namespace maps (4294967295) is refused" 1 'gid not mapped in this user namespace' \
	ksfctl peer add gx kind nf gid 4294967295
t_fail "policy services with an unknown service ($((NSVC + 1)))" 1 'services.*(unknown|not a service)' \
	ksfctl peer set nf services $((NSVC + 1))
t_fail "policy services with service 0 (there is none)" 1 'services' \
	ksfctl peer set nf services 0
t_fail "policy algs with an unknown alg ($((NALG + 1)))" 1 'algs.*(unknown|not an alg)' \
	ksfctl peer set nf algs $((NALG + 1))
t_match "the policy is unchanged" '^    services: .*hres-star' ksfctl peer show nf
ksfctl peer set nf services all algs all	# (if a case above failed)
t_fail "context-new sqn-he 2^48 is out of range (48 bits)" 1 'sqn-he' \
	ksfctl context new nf sub-big sqn 0x1000000000000
t_match "context-new sqn-he 2^48-1 is taken" '^0x[0-9a-f]{16}$' \
	ksfctl context new nf sub-max sqn 0xffffffffffff
t_st "aka-vector snn \"\" is refused" 3 'snn' \
	$S aka-vector subscriber s1 alg milenage key "$kk" key2 "$ko" snn ''
NAS="alg nia2 key $kn data 0011223344"
for miss in count bearer direction; do
	args=""
	for f in count bearer direction; do
		[ $f = $miss ] || args="$args $f 1"
	done
	t_st "nas-mac without $miss is refused" 3 "$miss" $S nas-mac $NAS $args
	t_st "nas-verify without $miss is refused" 3 "$miss" $S nas-verify $NAS $args mac 00000000
	t_st "nas-cipher without $miss is refused" 3 "$miss" \
		$S nas-cipher alg nea2 key "$ke" data 0011223344 $args
done
t_match "nas-mac with count, bearer and direction runs" '^0 ok data [0-9a-f]{8}$' \
	$S nas-mac $NAS count 1 bearer 1 direction 1

# IDs with a NUL inside (ynl sends the bytes as they are)
t_fail "peer-new with an ID holding a NUL is refused" 1 '' \
	ynl --do peer-new --json '{"id": "ab\u0000cd", "kind": "ue"}'
t_fail "no peer \"ab\" was created from it" 1 'no such peer' ksfctl peer show ab
nkeys=$(ksfctl key show | grep -c '^key ')
t_fail "key-new with a peer value holding a NUL is refused" 1 '' \
	ynl --do key-new --json '{"type": "generic", "len": 16, "owner": "nf", "peer": ["nf\u0000x"]}'
t_res "no key was created from it" "$nkeys" sh -c "ksfctl key show | grep -c '^key '"

# IDs must be printable: an NF's subscriber ID cannot forge output lines
t_fail "peer ID with a newline is refused" 1 'printable' \
	ksfctl peer add "$(printf 'ev\nil')" kind ue
t_fail "peer ID with an escape is refused" 1 'printable' \
	ksfctl peer add "$(printf 'ev\033[2Jil')" kind ue
t_fail "context-new subscriber with a newline is refused" 1 'printable' \
	ksfctl context new nf "$(printf 'x\npeer forged')"
t_st "an NF's subscriber ID with a newline is refused" 3 'printable|subscriber' \
	$S aka-vector subscriber "$(printf 's2\n  peer: forged')" alg milenage key "$kk" key2 "$ko" snn $SNN
t_not "context show holds no forged line" 'forged' ksfctl context show
t_match "a subscriber ID with a space and punctuation still works" '^0 ok ' \
	$S aka-vector subscriber 'imsi-001 (test)' alg milenage key "$kk" key2 "$ko" snn $SNN

# ---- wire 2 through ynl: family nests, policy bitmaps ----
# ynl_req ITEM-JSON...: one service-request of these items; prints for each
# result "STATUS NEST.FIELD=HEX ..." (its family nest), or "refused: MSG"
# when the request fails as a whole.  Handles go as 0x... strings.
ynl_req() {
	local req o r
	req=$(printf '%s\n' "$@" | ksft_py -c '
import json, sys
items = [json.loads(l) for l in sys.stdin if l.strip()]
for it in items:
    for k in ("key", "key2", "context"):
        if isinstance(it.get(k), str):
            it[k] = int(it[k], 0)
print(json.dumps({"item": items}))')
	o=$(ynl --do service-request --json "$req" --output-json 2>&1) && r=0 || r=$?
	if [ $r != 0 ]; then
		echo "refused: $(printf '%s\n' "$o" | tail -n 1)"
		return 0
	fi
	printf '%s' "$o" | ksft_py -c '
import json, sys
for r in json.load(sys.stdin).get("result", []):
    out = ["%s.%s=%s" % (n, f, v) for n, nest in sorted(r.items())
           if isinstance(nest, dict) for f, v in sorted(nest.items())]
    print(" ".join([str(r.get("status"))] + out))'
}
# policy_bits ID WHAT: the bits set in the peer's policy bitmap WHAT
policy_bits() {
	ynl --do peer-get --json "{\"id\": \"$1\"}" --output-json 2>&1 | ksft_py -c '
import json, sys
b = bytes.fromhex(json.load(sys.stdin)["policy"].get(sys.argv[1], ""))
print(" ".join(str(i) for i in range(len(b) * 8) if b[i // 8] >> (i % 8) & 1) or "none")' "$2"
}
# policy_set ID WHAT HEX: ynl peer-set of that bitmap; "ok" or "refused"
policy_set() {
	ynl --do peer-set --json "{\"id\": \"$1\", \"policy\": {\"$2\": \"$3\"}}" \
		>/dev/null 2>&1 && echo ok || echo refused
}
# a 32-byte bitmap with bit 1 and bit 200 (byte 25, bit 0)
U200="02$(printf '%048d' 0)01$(printf '%012d' 0)"
km=$(ksfctl key add type generic len 32 usage mac owner nf)
MAC="\"service\": \"mac-generate\", \"alg\": \"hmac-sha256\", \"key\": \"$km\""
MACOK="{$MAC, \"mac\": {\"data\": \"0011\"}}"
tag=$($S mac-generate alg hmac-sha256 key "$km" data 0011 | sed -n 's/^0 ok data //p')
t_res "ynl mac-generate: data in the item's mac nest, the tag in the result's (ksfctl's tag)" \
	"ok mac.data=$tag" ynl_req "$MACOK"
t_res "ynl hres-star: rand and res in the aka nest, hres in the result's (TS 35.208 set 1)" \
	"ok aka.hres=$HXRES" ynl_req \
	"{\"service\": \"hres-star\", \"alg\": \"sha256\", \"aka\": {\"rand\": \"$RAND\", \"res\": \"$XRES\"}}"
t_match "ynl: another family's nest (kdf in mac-generate) is refused" \
	'^(refused|error|rejected)' \
	ynl_req "{$MAC, \"mac\": {\"data\": \"0011\"}, \"kdf\": {\"fc\": 106}}"
t_match "ynl: only another family's nest (aead in mac-generate) is refused" \
	'^(refused|error|rejected)' \
	ynl_req "{$MAC, \"aead\": {\"data\": \"0011\"}}"
t_match "ynl: an argument the service does not take (mac in mac-generate) is refused" \
	'^(refused|error|rejected)' \
	ynl_req "{$MAC, \"mac\": {\"data\": \"0011\", \"mac\": \"00112233\"}}"
t_res "ynl: the policy's services as a bitmap (all $NSVC services)" \
	"$(seq -s ' ' 1 $NSVC)" policy_bits nf services
t_res "ynl peer-set services bitmap 02: mac-generate only" ok policy_set nf services 02
t_res "... peer-get gives bit 1 back" 1 policy_bits nf services
t_res "... mac-generate still runs" "ok mac.data=$tag" ynl_req "$MACOK"
t_match "... hres-star is rejected" '^rejected' ynl_req \
	"{\"service\": \"hres-star\", \"alg\": \"sha256\", \"aka\": {\"rand\": \"$RAND\", \"res\": \"$XRES\"}}"
t_res "ynl peer-set services with the bit of service 200 is refused" refused \
	policy_set nf services "$U200"
t_res "ynl peer-set services of 33 bytes is refused" refused \
	policy_set nf services "02$(printf '%064d' 0)"
t_res "... the policy is unchanged" 1 policy_bits nf services
t_res "ynl peer-set services of 32 bytes (bit 1, zeros) is taken" ok \
	policy_set nf services "02$(printf '%062d' 0)"
t_res "... bit 1 only" 1 policy_bits nf services
t_res "ynl peer-set algs bitmap 02: hmac-sha256 only" ok policy_set nf algs 02
t_res "... peer-get gives bit 1 back" 1 policy_bits nf algs
t_match "... mac-generate with aes-cmac is rejected" '^rejected' ynl_req \
	"{\"service\": \"mac-generate\", \"alg\": \"aes-cmac\", \"key\": \"$km\", \"mac\": {\"data\": \"00\"}}"
t_res "ynl peer-set algs with the bit of alg 200 is refused" refused \
	policy_set nf algs "$U200"
t_res "ynl peer-set services empty: no service" ok policy_set nf services ""
t_res "... peer-get shows none" none policy_bits nf services
t_match "... mac-generate is rejected" '^rejected' ynl_req "$MACOK"
ksfctl peer set nf services all algs all
t_res "ksfctl services all: all $NSVC bits again" "$(seq -s ' ' 1 $NSVC)" policy_bits nf services

# ---- ksfctl parsing ----
t_fail "kdf out-len 0 is refused (0 would mean the default 32)" 2 'out-len' \
	$S kdf key "$kg" fc 0x6a out-len 0
t_fail "key add len 0 is refused (0 would mean the material's length)" 2 'len' \
	sh -c 'echo 00112233 | ksfctl key add type generic len 0 owner nf material-hex -'
t_fail "mac-generate mac-len 0 is refused" 2 'mac-len' \
	$S mac-generate alg hmac-sha256 key "$kg" data 00 mac-len 0
m10=$($S nas-mac $NAS count 10 bearer 1 direction 1)
t_res "count 010 is decimal 10, not octal 8" "$m10" $S nas-mac $NAS count 010 bearer 1 direction 1
m9=$($S nas-mac $NAS count 9 bearer 1 direction 1)
t_res "count 09 is decimal 9" "$m9" $S nas-mac $NAS count 09 bearer 1 direction 1
t_res "count 0x0a is hexadecimal 10" "$m10" $S nas-mac $NAS count 0x0a bearer 1 direction 1
t_fail "a number in another base (0b1010) is refused" 2 'count' \
	$S nas-mac $NAS count 0b1010 bearer 1 direction 1
ksfctl peer add octal kind nf uid 010
t_match "uid 010 is decimal 10 (peer add)" '^  uid: 10$' ksfctl peer show octal
ksfctl peer del octal
t_fail "a repeated item keyword is refused" 2 'repeated|twice|more than once' \
	$S mac-generate alg hmac-sha256 key "$kg" key "$kg" data 00
t_fail "a repeated peer keyword is refused" 2 'repeated|twice|more than once' \
	ksfctl peer set nf services all services none
t_fail "a repeated key keyword is refused" 2 'repeated|twice|more than once' \
	ksfctl key add type generic type aes len 16 owner nf
t_fail "a repeated context keyword is refused" 2 'repeated|twice|more than once' \
	ksfctl context new nf s3 sqn 1 sqn 2
t_fail "a repeated save keyword is refused" 2 'repeated|twice|more than once' \
	ksfctl save keyring 1 keyring 2 file /tmp/34.blob
ksfctl peer set nf services all algs all	# (if a case above failed)
t_match "kdf with two params (a multi keyword) still works" '^0 ok key ' \
	$S kdf key "$kg" fc 0x6a param 00 param 01

# ---- error messages that name the attribute and the limit ----
t_fail "key-new without owner names owner" 1 'owner' ksfctl key add type generic len 16
t_fail "peer-new without kind names kind" 1 'kind' ksfctl peer add nokind
t_fail "mac-len 2: names mac-len and its range" 1 'mac-len.*4.*32' \
	$S mac-generate alg hmac-sha256 key "$kg" data 00 mac-len 2
t_fail "300-byte snn: names snn and its limit" 1 'snn.*25[45]' \
	$S aka-vector subscriber s4 alg milenage key "$kk" key2 "$ko" snn "$(printf 's%0299d' 0)"
t_fail "300-byte keyring desc: names it and its limit" 1 'desc.*25[56]' \
	ksfctl key add type generic owner nf desc "$(printf 'd%0299d' 0)"
t_fail "batch-max 0: names batch-max and its range" 1 'batch-max.*1.*1024' \
	ksfctl peer set nf batch-max 0

# ---- large policies: shown whole, counted in info ----
big=$(head -c 16000 /dev/zero | od -An -v -tx1 | tr -d ' \n')
ksfctl peer add p1 kind ue
ksfctl peer add p2 kind ue
mem0=$(ksfctl -j info | sed -n 's/.*"mem":\([0-9]*\).*/\1/p')
ksft_check "a peer with a 16 KiB timer item" \
	ksfctl peer add big kind ue timer 100000 "mac-generate key 1 data $big"
mem1=$(ksfctl -j info | sed -n 's/.*"mem":\([0-9]*\).*/\1/p')
t_true "info memory counts the policy ($mem0 -> $mem1)" test "$mem1" -ge $((mem0 + 16000))
t_match "peer show ID shows the 16 KiB policy" "data $big" ksfctl peer show big
t_res "the peer dump shows every peer" "4" sh -c "ksfctl peer show | grep -c '^peer '"
ksft_check "a 48 KiB policy (three 16 KiB timers)" \
	ksfctl peer set big timer 100000 "mac-generate key 1 data $big" \
	"mac-generate key 2 data $big" "mac-generate key 3 data $big"
t_res "peer show ID shows all three items" "3" sh -c "ksfctl peer show big | grep -c 'data $big'"
t_res "the peer dump still shows every peer" "4" sh -c "ksfctl peer show | grep -c '^peer '"
t_res "the dump through ynl too" "4" sh -c "ynl --dump peer-get --output-json | grep -o '\"kind\"' | wc -l"
t_fail "a policy beyond what can be shown is refused with its limit" 1 'policy.*[0-9]+ bytes' \
	ksfctl peer set big timer 100000 "mac-generate key 1 data $big" \
	"mac-generate key 2 data $big" "mac-generate key 3 data $big" \
	"mac-generate key 4 data ${big:0:28000}"
# the largest policy the kernel takes: shown, saved and restored
ksft_check "a policy just under the limit" \
	ksfctl peer set big timer 100000 "mac-generate key 1 data $big" \
	"mac-generate key 2 data $big" "mac-generate key 3 data $big" \
	"mac-generate key 4 data ${big:0:18000}"
t_res "peer show ID shows all four items" "4" sh -c "ksfctl peer show big | grep -c 'mac-generate key'"
t_res "the peer dump shows every peer" "4" sh -c "ksfctl peer show | grep -c '^peer '"
if command -v keyctl >/dev/null 2>&1; then
	kek=$(head -c 32 /dev/urandom | keyctl padd user ksf:kek34 @u)
	ksft_check "a save holds the largest policy" ksfctl save keyring "$kek" file /tmp/34.blob
	ksfctl peer show big >/tmp/34-big.before
	ksft_check "... and restores it in a new instance" \
		unshare -n sh -c "ksfctl restore keyring $kek file /tmp/34.blob && ksfctl peer show big >/tmp/34-big.after"
	t_true "the restored policy is the saved one" cmp -s /tmp/34-big.before /tmp/34-big.after
	rm -f /tmp/34.blob /tmp/34-big.before /tmp/34-big.after
fi
ksfctl peer del big
mem2=$(ksfctl -j info | sed -n 's/.*"mem":\([0-9]*\).*/\1/p')
t_true "deleting the peer gives the policy memory back ($mem2)" test "$mem2" = "$mem0"

# ---- clearing timers and notify presets ----
ksfctl peer set nf notify registered "hres-star rand 00112233445566778899aabbccddeeff res 00112233445566778899aabbccddeeff" \
	timer 100000 "hres-star rand 00112233445566778899aabbccddeeff res 00112233445566778899aabbccddeeff"
t_match "a notify preset and a timer are set" '^    timer 100000 ms:' ksfctl peer show nf
ksft_check "timer none clears the timers" ksfctl peer set nf timer none
t_not "no timer left" 'timer' ksfctl peer show nf
t_match "the notify preset stays" '^    notify registered:' ksfctl peer show nf
ksft_check "notify none clears the notify presets" ksfctl peer set nf notify none
t_not "no notify preset left" 'notify' ksfctl peer show nf
t_fail "notify registered after clearing: no preset" 1 'no service list' ksfctl notify - registered
t_fail "timer none with a timer is refused" 2 'none' \
	ksfctl peer set nf timer none timer 1000 "hres-star"

# ---- permission before parsing ----
head -c 100 /dev/urandom >/tmp/34-garbage.blob
chmod 644 /tmp/34-garbage.blob
t_fail "unprivileged restore of garbage: the permission error" 1 \
	'not permitted|CAP_NET_ADMIN|permission' \
	ksf-runas 65534 65534 ksfctl restore keyring 1 file /tmp/34-garbage.blob
t_not "... and not a parse error" 'saved state' \
	ksf-runas 65534 65534 ksfctl restore keyring 1 file /tmp/34-garbage.blob
t_fail "privileged restore of garbage: the parse error" 1 'saved state' \
	ksfctl restore keyring 1 file /tmp/34-garbage.blob
rm -f /tmp/34-garbage.blob

t_match "ksf still answers" '^instance: ' ksfctl info
ksft_dmesg_check "no kernel report"
ksft_done
