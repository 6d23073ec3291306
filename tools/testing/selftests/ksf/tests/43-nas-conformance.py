#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
#
# An independent NAS security implementation in Python, for
# 43-nas-conformance.sh: what a 5G core or a UE computes, written from the
# specifications on Debian's python3-cryptography and the standard library
# only, so that ksf's nas-context/nas-protect/nas-unprotect are checked
# against the text, not against ksf.
#
#   K_NASint, K_NASenc   TS 33.501 A.8: KDF(K_AMF, FC 0x69, P0 = algorithm
#                        type distinguisher (0x01 N-NAS-enc-alg, 0x02
#                        N-NAS-int-alg), P1 = algorithm identity), the KDF
#                        of TS 33.220 B.2 (HMAC-SHA-256), the key the last
#                        16 bytes of its 32
#   128-NEA2             TS 33.401 B.1.3: AES-CTR, counter block COUNT (32
#                        bits) || BEARER (5) || DIRECTION (1) || 0 (90)
#   128-NIA2             TS 33.401 B.2.3: AES-CMAC over COUNT || BEARER ||
#                        DIRECTION || 0 (26 bits) || MESSAGE, the MAC its
#                        first 32 bits
#   protected message    TS 24.501 4.4.3, 9.1.1: NAS COUNT = overflow (16
#                        bits) || SN (8 bits); the MAC covers SN ||
#                        ciphertext; on the wire EPD 0x7e, security header
#                        type, MAC (4), SN (1), ciphertext.  nas-protect
#                        returns the ciphertext, the MAC and the COUNT
#                        (SN = its low 8 bits), the pieces of that header.
#
# Commands (hex in and out; each prints "PASS desc" / "FAIL desc: why"
# lines, or the values asked for):
#   selfcheck DIR ROOT       NEA2, NIA2, AES-CMAC, KDF against the published
#                            vectors of DIR (../shared/vectors), else those
#                            ROOT/kernel/tests/vectors.h was generated from
#   verify KAMF BEARER DIR PLAINS RESULTS LABEL
#                            every "I ok data D mac M context C count N" of
#                            RESULTS (ksfctl service batch) against PLAINS
#                            (line I: its plaintext): data and mac as
#                            Python protects them under COUNT N
#   build KAMF (BEARER DIR COUNT PLAIN)...
#                            protected messages: "CIPHERTEXT MAC SEQ" lines
#   header KAMF (BEARER DIR COUNT PLAIN)...
#                            the whole security protected NAS messages
#                            (security header type 2), hex
import hashlib
import hmac
import json
import os
import re
import sys

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

FC_ALG_KEY = 0x69
N_NAS_ENC_ALG, N_NAS_INT_ALG = 0x01, 0x02
NEA2, NIA2 = 2, 2               # algorithm identities (TS 33.501 5.11.1.1)
EPD_5GMM = 0x7e
SHT_INT_CIPHERED = 0x02


def kdf(key, fc, params):
    """TS 33.220 B.2: HMAC-SHA-256(key, FC || P0 || L0 || P1 || L1 ...)."""
    s = bytes([fc])
    for p in params:
        s += p + len(p).to_bytes(2, "big")
    return hmac.new(key, s, hashlib.sha256).digest()


def nas_keys(kamf, int_alg=NIA2, enc_alg=NEA2):
    """K_NASint, K_NASenc (TS 33.501 A.8): the last 128 bits of the KDF."""
    kint = kdf(kamf, FC_ALG_KEY, [bytes([N_NAS_INT_ALG]), bytes([int_alg])])
    kenc = kdf(kamf, FC_ALG_KEY, [bytes([N_NAS_ENC_ALG]), bytes([enc_alg])])
    return kint[16:], kenc[16:]


def bits_trim(data, bits):
    """The first @bits bits of @data, the rest of the last byte zero."""
    n = (bits + 7) // 8
    out = bytearray(data[:n])
    if bits % 8:
        out[-1] &= (0xff << (8 - bits % 8)) & 0xff
    return bytes(out)


def nea2(key, count, bearer, direction, data, bits=None):
    """128-NEA2 (TS 33.401 B.1.3): AES-128 in CTR mode."""
    if bits is None:
        bits = len(data) * 8
    assert 0 <= bearer < 32 and direction in (0, 1)
    iv = (count.to_bytes(4, "big") + bytes([bearer << 3 | direction << 2]) +
          bytes(11))
    enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    out = enc.update(bits_trim(data, bits)) + enc.finalize()
    return bits_trim(out, bits)


def aes_ecb(key, block):
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def cmac_bits(key, msg, bits):
    """AES-CMAC (RFC 4493, NIST SP 800-38B) of a bit string, on AES-ECB:
    for bit lengths that the library's CMAC (bytes only) cannot take."""
    def dbl(b):
        v = int.from_bytes(b, "big") << 1
        if v >> 128:
            v = (v & ((1 << 128) - 1)) ^ 0x87
        return v.to_bytes(16, "big")
    k1 = dbl(aes_ecb(key, bytes(16)))
    k2 = dbl(k1)
    m = bits_trim(msg, bits)
    n = max(1, (bits + 127) // 128)
    if bits and bits % 128 == 0:
        last = bytes(a ^ b for a, b in zip(m[16 * (n - 1):16 * n], k1))
    else:
        tail = bytearray(m[16 * (n - 1):])
        rem = bits - 128 * (n - 1)
        if rem % 8 == 0:
            tail.append(0x80)
        else:
            tail[-1] |= 0x80 >> (rem % 8)
        tail += bytes(16 - len(tail))
        last = bytes(a ^ b for a, b in zip(tail, k2))
    x = bytes(16)
    for i in range(n - 1):
        x = aes_ecb(key, bytes(a ^ b for a, b in zip(x, m[16 * i:16 * i + 16])))
    return aes_ecb(key, bytes(a ^ b for a, b in zip(x, last)))


def nia2_input(count, bearer, direction, msg):
    assert 0 <= bearer < 32 and direction in (0, 1)
    return (count.to_bytes(4, "big") + bytes([bearer << 3 | direction << 2]) +
            bytes(3) + msg)


def nia2(key, count, bearer, direction, msg, bits=None):
    """128-NIA2 (TS 33.401 B.2.3): the first 32 bits of AES-CMAC over
    COUNT || BEARER || DIRECTION || 0^26 || MESSAGE."""
    if bits is None:
        c = cmac.CMAC(algorithms.AES(key))
        c.update(nia2_input(count, bearer, direction, msg))
        return c.finalize()[:4]
    return cmac_bits(key, nia2_input(count, bearer, direction, msg),
                     64 + bits)[:4]


def protect(kamf, bearer, direction, count, plain):
    """What a core or UE sends: (ciphertext, MAC over SN || ciphertext)."""
    kint, kenc = nas_keys(kamf)
    ct = nea2(kenc, count, bearer, direction, plain)
    sn = bytes([count & 0xff])
    return ct, nia2(kint, count, bearer, direction, sn + ct)


# ---- the published vectors ----

def vectors_json(d):
    def load(name):
        with open(os.path.join(d, name)) as f:
            return json.load(f)["cases"]
    out = {"eea2": [], "eia2": [], "aes_cmac": [], "kdf": []}
    for c in load("eea2.json"):
        out["eea2"].append((c["id"], bytes.fromhex(c["key"]), int(c["count"], 16),
                            c["bearer"], c["direction"], c["length_bits"],
                            bytes.fromhex(c["plaintext"]),
                            bytes.fromhex(c["ciphertext"])))
    for c in load("eia2.json"):
        out["eia2"].append((c["id"], bytes.fromhex(c["key"]), int(c["count"], 16),
                            c["bearer"], c["direction"], c["length_bits"],
                            bytes.fromhex(c["message"]), bytes.fromhex(c["mac"])))
    for c in load("aes_cmac.json"):
        out["aes_cmac"].append((c["id"], bytes.fromhex(c["key"]),
                                bytes.fromhex(c.get("message", c.get("data", ""))),
                                bytes.fromhex(c.get("mac", c.get("cmac", c.get("tag", ""))))))
    for c in load("kdf_5g.json"):
        if c.get("fc") is None or "output" not in c:
            continue
        params = [bytes.fromhex(p["hex"]) for p in c["params"]]
        out["kdf"].append((c["id"], bytes.fromhex(c["key"]), int(c["fc"], 16),
                           params, bytes.fromhex(c["output"])))
    return out


def c_bytes(s):
    return bytes(int(h, 16) for h in re.findall(r"\\x([0-9a-f]{2})", s))


def vectors_h(path):
    """The same vectors, from the header gen-vectors.py made of them."""
    with open(path) as f:
        text = f.read()
    out = {"eea2": [], "eia2": [], "aes_cmac": [], "kdf": []}
    s = r'"((?:\\x[0-9a-f]{2})*)"'
    nas = re.compile(r'\{ "([^"]+)", ' + s + r', \d+, (0x[0-9a-f]+|\d+), (\d+), (\d+), '
                     r'(\d+), ' + s + r', \d+, ' + s + r', \d+ \}')
    for fam in ("eea2", "eia2"):
        m = re.search(r"ksf_%s_vectors\[\][^{]*\{(.*?)\n\};" % fam, text, re.S)
        for v in nas.finditer(m.group(1)):
            out[fam].append((v.group(1), c_bytes(v.group(2)), int(v.group(3), 0),
                             int(v.group(4)), int(v.group(5)), int(v.group(6)),
                             c_bytes(v.group(7)), c_bytes(v.group(8))))
    m = re.search(r"ksf_aes_cmac_vectors\[\][^{]*\{(.*?)\n\};", text, re.S)
    mac = re.compile(r'\{ "([^"]+)", ' + s + r', \d+, ' + s + r', \d+, ' + s)
    for v in mac.finditer(m.group(1)):
        out["aes_cmac"].append((v.group(1), c_bytes(v.group(2)),
                                c_bytes(v.group(3)), c_bytes(v.group(4))))
    m = re.search(r"ksf_kdf_vectors\[\][^{]*\{(.*?)\n\};", text, re.S)
    kv = re.compile(r'\{ "([^"]+)", ' + s + r', \d+, (0x[0-9a-f]+), \d+, \{ (.*?) \}, '
                    + s + r', \d+, (\d+) \}')
    for v in kv.finditer(m.group(1)):
        params = [c_bytes(p) for p in re.findall(r'\{ ' + s + r', \d+ \}', v.group(4))]
        out["kdf"].append((v.group(1), c_bytes(v.group(2)), int(v.group(3), 16),
                           params, c_bytes(v.group(5))))
    return out


def report(ok, desc, why=""):
    print(("PASS %s" % desc) if ok else ("FAIL %s: %s" % (desc, why)))
    return ok


def selfcheck(vdir, root):
    if os.path.isfile(os.path.join(vdir, "eea2.json")):
        v, src = vectors_json(vdir), vdir
    else:
        src = os.path.join(root, "kernel/tests/vectors.h")
        v = vectors_h(src)
    print("INFO vectors from %s" % src)
    ok = report(len(v["eea2"]) >= 3 and len(v["eia2"]) >= 3 and len(v["kdf"]) > 0,
                "the vectors are there (%d NEA2, %d NIA2, %d CMAC, %d KDF)" %
                (len(v["eea2"]), len(v["eia2"]), len(v["aes_cmac"]), len(v["kdf"])),
                "too few")
    for vid, key, count, bearer, d, bits, pt, ct in v["eea2"]:
        got = nea2(key, count, bearer, d, pt, bits)
        ok &= report(got == bits_trim(ct, bits),
                     "Python 128-NEA2 reproduces %s (%d bits)" % (vid, bits),
                     got.hex())
    for vid, key, count, bearer, d, bits, msg, mac in v["eia2"]:
        got = nia2(key, count, bearer, d, msg, bits)
        ok &= report(got == mac, "Python 128-NIA2 reproduces %s (%d bits)" % (vid, bits),
                     got.hex())
        if bits % 8 == 0:
            got = nia2(key, count, bearer, d, msg[:bits // 8])
            ok &= report(got == mac, "Python 128-NIA2 on the library's CMAC reproduces %s"
                         % vid, got.hex())
    for vid, key, msg, mac in v["aes_cmac"]:
        got = cmac_bits(key, msg, len(msg) * 8)
        ok &= report(got == mac[:16], "Python AES-CMAC reproduces %s" % vid, got.hex())
    for vid, key, fc, params, want in v["kdf"]:
        # 32 bytes, or (RES*, as the NAS keys) the low 128 bits of them
        got = kdf(key, fc, params)[32 - len(want):]
        ok &= report(got == want, "Python KDF (TS 33.220 B.2) reproduces %s" % vid,
                     got.hex())
    # the inputs are where B.1.3/B.2.3 put them: a flipped bit of each
    # gives another output
    key, count, bearer, d, bits, pt, ct = v["eea2"][0][1:]
    for what, args in (("COUNT", (count ^ 1, bearer, d)),
                       ("BEARER", (count, bearer ^ 1, d)),
                       ("DIRECTION", (count, bearer, d ^ 1))):
        ok &= report(nea2(key, *args, pt, bits) != bits_trim(ct, bits),
                     "Python 128-NEA2 depends on %s" % what, "it does not")
    return ok


def verify(kamf, bearer, d, plains, results, label):
    """ksf's nas-protect outputs against Python's, item by item."""
    kint, kenc = nas_keys(kamf)
    with open(plains) as f:
        pts = [bytes.fromhex(l.strip()) for l in f if l.strip()]
    with open(results) as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    ok = report(len(lines) == len(pts), "%s: %d results for %d items" %
                (label, len(lines), len(pts)), "")
    r = re.compile(r"^(\d+) ok data ([0-9a-f]+) mac ([0-9a-f]{8}) context 0x[0-9a-f]{16} "
                   r"count (\d+)$")
    good, counts, shown = 0, [], set()
    for line in lines:
        m = r.match(line)
        if not m:
            ok &= report(False, "%s: a result line" % label, line)
            continue
        i, data, mac, count = int(m.group(1)), bytes.fromhex(m.group(2)), \
            bytes.fromhex(m.group(3)), int(m.group(4))
        counts.append(count)
        pt = pts[i]
        want_ct = nea2(kenc, count, bearer, d, pt)
        want_mac = nia2(kint, count, bearer, d, bytes([count & 0xff]) + want_ct)
        same = data == want_ct and mac == want_mac
        good += same
        # one case for each COUNT of interest (and the first mismatches),
        # one for them all
        if count in (0, 1, 255, 256, 300) or (not same and len(shown) < 10):
            shown.add(count)
            ok &= report(same, "%s: COUNT %d (SN %d): ciphertext and MAC over SN || "
                         "ciphertext byte for byte" % (label, count, count & 0xff),
                         "ksf %s %s, Python %s %s" % (data.hex(), mac.hex(),
                                                      want_ct.hex(), want_mac.hex()))
    ok &= report(good == len(pts) and good > 0,
                 "%s: all %d messages byte for byte" % (label, len(pts)),
                 "%d identical" % good)
    ok &= report(counts == list(range(len(pts))),
                 "%s: COUNTs 0..%d in order" % (label, len(pts) - 1),
                 "%s" % counts[:8])
    # with another BEARER, DIRECTION or algorithm keys, a core would
    # compute other bytes: the comparison above can fail
    if pts and counts:
        ct0 = nea2(kenc, counts[0], bearer, d, pts[0])
        others = [nia2(kint, counts[0], b, d, bytes([counts[0] & 0xff]) + ct0)
                  for b in (0, 3 - bearer)]
        others.append(nia2(kint, counts[0], bearer, d ^ 1, bytes([counts[0] & 0xff]) + ct0))
        ok &= report(nia2(kint, counts[0], bearer, d, bytes([counts[0] & 0xff]) + ct0)
                     not in others,
                     "%s: under bearer 0, bearer %d or the other direction the MAC "
                     "differs" % (label, 3 - bearer), "it does not")
    return ok


def main(argv):
    cmd = argv[1]
    if cmd == "selfcheck":
        return 0 if selfcheck(argv[2], argv[3]) else 1
    if cmd == "verify":
        return 0 if verify(bytes.fromhex(argv[2]), int(argv[3]), int(argv[4]),
                           argv[5], argv[6], argv[7]) else 1
    if cmd not in ("build", "header") or (len(argv) - 3) % 4:
        sys.exit("usage: build|header KAMF (BEARER DIR COUNT PLAIN)...")
    kamf = bytes.fromhex(argv[2])
    for i in range(3, len(argv), 4):
        bearer, d, count = int(argv[i]), int(argv[i + 1]), int(argv[i + 2])
        ct, mac = protect(kamf, bearer, d, count, bytes.fromhex(argv[i + 3]))
        if cmd == "build":
            print(ct.hex(), mac.hex(), count & 0xff)
        else:
            print((bytes([EPD_5GMM, SHT_INT_CIPHERED]) + mac +
                   bytes([count & 0xff]) + ct).hex())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
