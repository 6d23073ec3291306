#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# NAS security through ksfctl against the 3GPP test sets (TS 35.2xx / TS
# 33.401 Annex C, from /work/shared/vectors, embedded below): 128-NIA1/2/3
# MACs (nas-mac, nas-verify) and 128-NEA1/2/3 ciphertexts (nas-cipher,
# nas-decipher) with COUNT, BEARER, DIRECTION and bit lengths.
set -u
[ -n "${KSF_TEST_NS:-}" ] || KSF_TEST_NS=1 exec unshare -n sh "$0" "$@"
. "${KSF_TESTLIB:-/ksf/lib/ksft.sh}"
ksft_dmesg_mark
S="ksfctl service"
ksfctl peer add amf kind nf uid 0 services nas-mac,nas-verify,nas-cipher,nas-decipher \
	algs nia1,nia2,nia3,nea1,nea2,nea3

# kind alg key count bearer direction bits data expected id
# (ciphertexts: the whole bytes only; the last partial byte is not compared)
while read -r kind alg key count bearer dir bits data want id; do
	# integrity and ciphering keys are of two usage families
	[ "$kind" = mac ] && usage=mac,verify || usage=encrypt,decrypt
	k=$(echo "$key" | ksfctl key add type nas usage $usage owner amf material-hex -)
	common="alg $alg key $k count $count bearer $bearer direction $dir bits $bits"
	if [ "$kind" = mac ]; then
		out=$($S nas-mac $common data "$data" 2>&1)
		[ "$out" = "0 ok data $want" ] && ksft_ok "$alg $id: MAC $want" ||
			ksft_fail "$alg $id: MAC" "got: $out" "wanted: 0 ok data $want"
		out=$($S nas-verify $common data "$data" mac "$want" 2>&1)
		[ "$out" = "0 ok" ] && ksft_ok "$alg $id: verify" || ksft_fail "$alg $id: verify" "$out"
		bad=$(printf '%08x' $(( 0x$want ^ 1 )))
		out=$($S nas-verify $common data "$data" mac "$bad" 2>&1)
		[ "$out" = '0 error EBADMSG reason "NAS MAC mismatch"' ] &&
			ksft_ok "$alg $id: a wrong MAC is refused" ||
			ksft_fail "$alg $id: a wrong MAC is refused" "$out"
	else
		out=$($S nas-cipher $common data "$data" 2>&1)
		got=$(printf '%s\n' "$out" | sed -n 's/^0 ok data \([0-9a-f]*\)$/\1/p')
		[ -n "$got" ] && [ "${got#"$want"}" != "$got" ] && [ ${#got} = ${#data} ] &&
			ksft_ok "$alg $id: ciphertext" ||
			ksft_fail "$alg $id: ciphertext" "got: $out" "wanted prefix: $want"
		out=$($S nas-decipher $common data "$got" 2>&1)
		pt=$(printf '%s\n' "$out" | sed -n 's/^0 ok data \([0-9a-f]*\)$/\1/p')
		[ "${pt%??}" = "${data%??}" ] && ksft_ok "$alg $id: decipher gives the plaintext back" ||
			ksft_fail "$alg $id: decipher gives the plaintext back" "got: $out" "data: $data"
	fi
done <<'EOV'
mac nia1 2bd6459f82c5b300952c49104881ff48 0x38a6f056 31 0 88 3332346263393861373479 731f1165 snow3g_EIA1_testset_1
mac nia1 7e5e94431e11d73828d739cc6ced4573 0x36af6144 24 1 254 b3d3c9170a4e1632f60f861013d22d84b726b6a278d802d1eeaf1321ba5929dc e3259f6f snow3g_EIA1_testset_2
mac nia1 d3419be821087acd02123a9248033359 0xc7590ea9 23 0 511 bbb057038809496bcff86d6fbc8ce5b135a06b166054f2d565be8ace75dc851e0bcdd8f07141c495872fb5d8c0c66a8b6da556663e4e461205d84580bee5bc7e 9a16c77d snow3g_EIA1_testset_3
mac nia1 83fd23a244a74cf358da3019f1722635 0x36af6144 15 1 768 35c68716633c66fb750c266865d53c11ea05b1e9fa49c8398d48e1efa5909d3947902837f5ae96d5a05bc8d61ca8dbef1b13a4b4abfe4fb1006045b674bb54729304c382be53a5af05556176f6eaa2ef1d05e4b083181ee674cda5a485f74d7a bba74492 snow3g_EIA1_testset_4
mac nia2 2bd6459f82c5b300952c49104881ff48 0x38a6f056 24 0 58 3332346263393840 118c6eb8 aes_EIA2_testset_1
mac nia2 d3c5d592327fb11c4035c6680af8c6d1 0x398a59b4 26 1 64 484583d5afe082ae b93787e6 aes_EIA2_testset_2
mac nia2 7e5e94431e11d73828d739cc6ced4573 0x36af6144 24 1 254 b3d3c9170a4e1632f60f861013d22d84b726b6a278d802d1eeaf1321ba5929dc 1f60b01d aes_EIA2_testset_3
mac nia2 d3419be821087acd02123a9248033359 0xc7590ea9 23 0 511 bbb057038809496bcff86d6fbc8ce5b135a06b166054f2d565be8ace75dc851e0bcdd8f07141c495872fb5d8c0c66a8b6da556663e4e461205d84580bee5bc7e 6846a2f0 aes_EIA2_testset_4
mac nia2 83fd23a244a74cf358da3019f1722635 0x36af6144 15 1 768 35c68716633c66fb750c266865d53c11ea05b1e9fa49c8398d48e1efa5909d3947902837f5ae96d5a05bc8d61ca8dbef1b13a4b4abfe4fb1006045b674bb54729304c382be53a5af05556176f6eaa2ef1d05e4b083181ee674cda5a485f74d7a e657e182 aes_EIA2_testset_5
mac nia3 00000000000000000000000000000000 0x00000000 0 0 1 00 c8a9595e zuc_EIA3_testset_1
mac nia3 47054125561eb2dda94059da05097850 0x561eb2dd 20 0 90 000000000000000000000000 6719a088 zuc_EIA3_testset_2
mac nia3 c9e6cec4607c72db000aefa88385ab0a 0xa94059da 10 1 577 983b41d47d780c9e1ad11d7eb70391b1de0b35da2dc62f83e7b78d6306ca0ea07e941b7be91348f9fcb170e2217fecd97f9f68adb16e5d7d21e569d280ed775cebde3f4093c5388100 fae8ff0b zuc_EIA3_testset_3
cipher nea1 2bd6459f82c5b300952c49104881ff48 0x72a4f20f 12 1 798 7ec61272743bf1614726446a6c38ced166f6ca76eb5430044286346cef130f92922b03450d3a9975e5bd2ea0eb55ad8e1b199e3ec4316020e9a1b285e762795359b7bdfd39bef4b2484583d5afe082aee638bf5fd5a606193901a08f4ab41aab9b134880 8ceba62943dced3a0990b06ea1b0a2c4fb3cedc71b369f42ba64c1eb6665e72aa1c9bb0deaa20fe86058b8baee2c2e7f0becce48b52932a53c9d5f931a3a7c532259af4325e2a65e3084ad5f6a513b7bddc1b65f0aa0d97a053db55a88c4c4f9605e41 snow3g_F8_testset_1
cipher nea1 efa8b2229e720c2a7c36ea55e9605695 0xe28bcf7b 24 0 510 10111231e060253a43fd3f57e37607ab2827b599b6b1bbda37a8abcc5a8c550d1bfb2f494624fb50367fa36ce3bc68f11cf93b1510376b02130f812a9fa169d8 e0da15ca8e2554f5e56c9468dc6c7c129c568aa5032317e04e0729646cabefa689864c410f24f919e61e3dfdfad77e560db0a9cd36c34ae4181490b29f5fa2 snow3g_F8_testset_2
cipher nea1 5acb1d644c0d51204ea5f1451010d852 0xfa556b26 3 1 120 ad9c441f890b38c457a49d421407e8 ba0f31300334c56b52a7497cbac046 snow3g_F8_testset_3
cipher nea2 d3c5d592327fb11c4035c6680af8c6d1 0x398a59b4 21 1 253 981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0 e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e aes_EEA2_testset_1
cipher nea2 2bd6459f82c440e0952c49104805ff48 0xc675a64b 12 1 798 7ec61272743bf1614726446a6c38ced166f6ca76eb5430044286346cef130f92922b03450d3a9975e5bd2ea0eb55ad8e1b199e3ec4316020e9a1b285e762795359b7bdfd39bef4b2484583d5afe082aee638bf5fd5a606193901a08f4ab41aab9b134880 5961605353c64bdca15b195e288553a910632506d6200aa790c4c806c99904cf2445cc50bb1cf168a49673734e081b57e324ce5259c0e78d4cd97b870976503c0943f2cb5ae8f052c7b7d392239587b8956086bcab18836042e2e6ce42432a17105c53 aes_EEA2_testset_2
cipher nea2 0a8b6bd8d9b08b08d64e32d1817777fb 0x544d49cd 4 0 310 fd40a41d370a1f65745095687d47ba1d36d2349e23f644392c8ea9c49d40c13271aff264d0f248 75750d37b4bba2a4dedb34235bd68c6645acdaaca48138a3b0c471e2a7041a576423d2927287 aes_EEA2_testset_3
cipher nea2 aa1f95aea533bcb32eb63bf52d8f831a 0x72d8c671 16 1 1022 fb1b96c5c8badfb2e8e8edfde78e57f2ad81e74103fc430a534dcc37afcec70e1517bb06f27219dae49022ddc47a068de4c9496a951a6b09edbdc864c7adbd740ac50c022f3082bafd22d78197c5d508b977bca13f32e652e74ba728576077ce628c535e87dc6077ba07d29068590c8cb5f1088e082cfa0ec961302d69cf3d44 dfb440acb3773549efc04628aeb8d8156275230bdc690d94b00d8d95f28c4b56307f60f4ca55eba661ebba72ac808fa8c49e26788ed04a5d606cb418de74878b9a22f8ef29590bc4eb57c9faf7c41524a885b8979c423f2f8f8e0592a9879201be7ff9777a162ab810feb324ba74c4c156e04d39097209653ac33e5a5f2d88 aes_EEA2_testset_4
cipher nea3 173d14ba5003731d7a60049470f00a29 0x66035492 15 0 193 6cf65340735552ab0c9752fa6f9025fe0bd675d9005875b200 a6c85fc66afb8533aafc2518dfe784940ee1e4b030238cc8 zuc_EEA3_testset_1
cipher nea3 e5bd3ea0eb55ade866c6ac58bd54302a 0x00056823 24 1 800 14a8ef693d678507bbe7270a7f67ff5006c3525b9807e467c4e56000ba338f5d429559036751822246c80d3b38f07f4be2d8ff5805f5132229bde93bbbdcaf382bf1ee972fbf9977bada8945847a2a6c9ad34a667554e04d1f7fa2c33241bd8f01ba220d 131d43e0dea1be5c5a1bfd971d852cbf712d7b4f57961fea3208afa8bca433f456ad09c7417e58bc69cf8866d1353f74865e80781d202dfb3ecff7fcbc3b190fe82a204ed0e350fc0f6f2613b2f2bca6df5a473a57a4a00d985ebad880d6f23864a07b01 zuc_EEA3_testset_2
cipher nea3 d4552a8fd6e61cc81a2009141a29c10b 0x76452ec1 2 1 1570 38f07f4be2d8ff5805f5132229bde93bbbdcaf382bf1ee972fbf9977bada8945847a2a6c9ad34a667554e04d1f7fa2c33241bd8f01ba220d3ca4ec41e074595f54ae2b454fd971432043601965cca85c2417ed6cbec3bada84fc8a579aea7837b0271177242a64dc0a9de71a8edee86ca3d47d033d6bf539804eca86c584a9052de46ad3fced65543bd90207372b27afb79234f5ff43ea870820e2c2b78a8aae61cce52a0515e348d196664a3456b182a07c406e4a20791271cfeda165d535ec5ea2d4df40 8383b0229fcc0b9d2295ec41c977e9c2bb72e220378141f9c8318f3a270dfbcdee6411c2b3044f176dc6e00f8960f97afacd131ad6a3b49b16b7babcf2a509ebb16a75dcab14ff275dbeeea1a2b155f9d52c26452d0187c310a4ee55beaa78ab4024615ba9f5d5adc7728f73560671f013e5e550085d3291df7d5fecedded559641b6c2f585233bc71e9602bd2305855bbd25ffa7f17ecbc042daae38c1f57ad8e8ebd37346f71befdbb7432e0e0bb2cfc09bcd96570cb0c0c39df5e29294e82703a637f zuc_EEA3_testset_3
EOV

k=$(ksfctl key add type nas len 16 usage mac,verify owner amf)
t_match "bits beyond the data" '^0 error EINVAL reason "bits larger than the data"$' \
	sh -c "$S nas-mac alg nia2 key $k count 0 bearer 0 direction 0 bits 65 data 0011223344556677; true"
t_fail "bearer 32 (5 bits)" 1 'integer out of range|Numerical' \
	$S nas-mac alg nia2 key "$k" count 0 bearer 32 direction 0 bits 8 data 00
t_fail "direction 2" 1 'integer out of range|Numerical' \
	$S nas-mac alg nia2 key "$k" count 0 bearer 0 direction 2 bits 8 data 00
ksfctl peer set amf algs nia2
t_match "nia1 outside the policy: rejected" '^0 rejected EPERM reason "algorithm not in the trusted policy"$' \
	sh -c "$S nas-mac alg nia1 key $k count 0 bearer 0 direction 0 bits 8 data 00; true"

ksft_dmesg_check "no kernel report"
ksft_done
