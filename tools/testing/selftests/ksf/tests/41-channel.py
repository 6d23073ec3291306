#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
#
# An independent ksf instance in Python, for 41-channel.sh: the channel's
# handshake (Noise_IKpsk2_25519_ChaChaPoly_SHA256 as channel.rst writes
# it) and its blobs, built from Debian's python3-cryptography and the
# standard library only, so that the kernel's construction is checked
# against the text, not against itself.  Each call is one step; the
# state between steps lives in a JSON file (test keys only).
#
#   keygen STATE                     -> our public key, base64
#   keyid PUB_B64                    -> its key id, 16 hex digits
#   init STATE PEER_PUB_B64          -> a handshake-init to the kernel
#   response STATE RESP_B64          -> checks it, prints a confirm
#   respond STATE INIT_B64           -> answers the kernel's init
#   open STATE BLOB_B64              -> opens a sealed blob of the kernel
#   seal STATE COUNTER               -> a confirm with this counter
import base64
import hashlib
import hmac
import json
import struct
import sys
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey, X25519PublicKey)
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

PROTOCOL = b"Noise_IKpsk2_25519_ChaChaPoly_SHA256"
TYPE_INIT, TYPE_RESP, TYPE_CONFIRM = 1, 2, 3


def sha(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def hkdf(ck, ikm, n):
    """Noise's HKDF with n outputs over HMAC-SHA-256."""
    t = hmac.new(ck, ikm, hashlib.sha256).digest()
    out, prev = [], b""
    for i in range(1, n + 1):
        prev = hmac.new(t, prev + bytes([i]), hashlib.sha256).digest()
        out.append(prev)
    return out


def raw(key):
    """The raw public key of a private @key."""
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                            serialization.PublicFormat.Raw)


def priv_raw(key):
    return key.private_bytes(serialization.Encoding.Raw,
                             serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def dh(priv, pub):
    return X25519PrivateKey.from_private_bytes(priv).exchange(
        X25519PublicKey.from_public_bytes(pub))


def nonce(n):
    return b"\0" * 4 + struct.pack("<Q", n)


def seal(k, n, ad, text):
    return ChaCha20Poly1305(k).encrypt(nonce(n), text, ad)


def unseal(k, n, ad, ct):
    return ChaCha20Poly1305(k).decrypt(nonce(n), ct, ad)


def key_id(pub):
    return struct.unpack(">Q", sha(b"ksf key id", pub)[:8])[0]


def mac1(receiver_pub, data):
    return hmac.new(sha(b"ksf-mac1", receiver_pub), data,
                    hashlib.sha256).digest()[:16]


def header(typ, length, sender, receiver):
    return b"KSFC" + struct.pack(">BBHIQQ", 1, typ, 0, length, sender,
                                 receiver)


class State:
    def __init__(self, path):
        self.path = path
        try:
            with open(path) as f:
                self.d = json.load(f)
        except FileNotFoundError:
            self.d = {}

    def __getitem__(self, k):
        v = self.d[k]
        return bytes.fromhex(v) if isinstance(v, str) else v

    def __setitem__(self, k, v):
        self.d[k] = v.hex() if isinstance(v, bytes) else v

    def save(self):
        with open(self.path, "w") as f:
            json.dump(self.d, f)


def b64(b):
    return base64.b64encode(b).decode()


def unb64(s):
    return base64.b64decode(s.split()[-1], validate=True)


def psk(st):
    """The pre-shared key (the psk command's), zeros without one."""
    return st["psk"] if "psk" in st.d else b"\0" * 32


def keygen(st):
    k = X25519PrivateKey.generate()
    st["s_priv"], st["s_pub"] = priv_raw(k), raw(k)
    print(b64(raw(k)))


def start(prologue, responder_pub):
    h = sha(PROTOCOL)
    ck = h
    h = sha(h, b"ksf-channel-1", prologue)
    return sha(h, responder_pub), ck


def init(st, peer_pub):
    """-> e, es, s, ss; payload TAI64N."""
    e = X25519PrivateKey.generate()
    e_pub = raw(e)
    index = 0x1c2d3e4f
    hdr = header(TYPE_INIT, 156, key_id(st["s_pub"]), key_id(peer_pub))
    hdr += struct.pack(">I", index)
    h, ck = start(hdr, peer_pub)
    h = sha(h, e_pub)
    ck, = hkdf(ck, e_pub, 1)
    ck, k = hkdf(ck, dh(priv_raw(e), peer_pub), 2)
    c_s = seal(k, 0, h, st["s_pub"])
    h = sha(h, c_s)
    ck, k = hkdf(ck, dh(st["s_priv"], peer_pub), 2)
    now = time.time()
    ts = struct.pack(">QI", 0x400000000000000a + int(now),
                     int((now % 1) * 1e9) & ~0xffffff)
    c_t = seal(k, 0, h, ts)
    h = sha(h, c_t)
    body = hdr + e_pub + c_s + c_t
    blob = body + mac1(peer_pub, body)
    assert len(blob) == 156
    st["peer_pub"], st["e_priv"], st["h"], st["ck"] = peer_pub, priv_raw(e), h, ck
    st["index"] = index
    print(b64(blob))


def response(st, blob):
    """<- e, ee, se, psk; then the split, and a confirm back."""
    assert len(blob) == 100, "response is %d bytes" % len(blob)
    assert blob[:4] == b"KSFC" and blob[5] == TYPE_RESP
    assert mac1(st["s_pub"], blob[:84]) == blob[84:], "mac1"
    assert struct.unpack(">I", blob[28:32])[0] == st["index"]
    e_r = blob[32:64]
    h, ck = st["h"], st["ck"]
    h = sha(h, e_r)
    ck, = hkdf(ck, e_r, 1)
    ck, = hkdf(ck, dh(st["e_priv"], e_r), 1)
    ck, = hkdf(ck, dh(st["s_priv"], e_r), 1)
    ck, t, k = hkdf(ck, psk(st), 3)
    h = sha(h, t)
    payload = unseal(k, 0, h, blob[64:84])
    send, recv = hkdf(ck, b"", 2)
    st["send"], st["recv"] = send, recv
    st["remote"] = struct.unpack(">I", payload)[0]
    seal_msg(st, 0)


def respond(st, blob):
    """The responder's side of the kernel's init."""
    assert len(blob) == 156 and blob[:4] == b"KSFC" and blob[5] == TYPE_INIT
    assert mac1(st["s_pub"], blob[:140]) == blob[140:], "mac1"
    h, ck = start(blob[:32], st["s_pub"])
    e_i = blob[32:64]
    h = sha(h, e_i)
    ck, = hkdf(ck, e_i, 1)
    ck, k = hkdf(ck, dh(st["s_priv"], e_i), 2)
    s_i = unseal(k, 0, h, blob[64:112])
    h = sha(h, blob[64:112])
    if "peer_pub" in st.d:
        assert s_i == st["peer_pub"], "the initiator's static key"
    ck, k = hkdf(ck, dh(st["s_priv"], s_i), 2)
    ts = unseal(k, 0, h, blob[112:140])
    h = sha(h, blob[112:140])
    tai = struct.unpack(">Q", ts[:8])[0] - 0x400000000000000a
    assert abs(tai - time.time()) < 600, "timestamp %d" % tai
    assert struct.unpack(">I", ts[8:])[0] & 0xffffff == 0, "ns rounded"
    e = X25519PrivateKey.generate()
    e_r = raw(e)
    h = sha(h, e_r)
    ck, = hkdf(ck, e_r, 1)
    ck, = hkdf(ck, dh(priv_raw(e), e_i), 1)
    ck, = hkdf(ck, dh(priv_raw(e), s_i), 1)
    ck, t, k = hkdf(ck, psk(st), 3)
    h = sha(h, t)
    index = 0x5a5a0001
    c_p = seal(k, 0, h, struct.pack(">I", index))
    recv, send = hkdf(ck, b"", 2)
    st["send"], st["recv"], st["peer_pub"] = send, recv, s_i
    st["remote"] = struct.unpack(">I", blob[28:32])[0]
    st["index"] = index
    body = header(TYPE_RESP, 100, key_id(st["s_pub"]), key_id(s_i))
    body += struct.pack(">I", st["remote"]) + e_r + c_p
    print(b64(body + mac1(s_i, body)))


def seal_msg(st, counter, typ=TYPE_CONFIRM, body=b""):
    ad = header(typ, 56 + len(body), key_id(st["s_pub"]),
                key_id(st["peer_pub"]))
    ad += struct.pack(">IQ", st["remote"], counter)
    print(b64(ad + seal(st["send"], counter, ad, body)))


def open_msg(st, blob):
    index, counter = struct.unpack(">IQ", blob[28:40])
    assert index == st["index"], "index %x" % index
    text = unseal(st["recv"], counter, blob[:40], blob[40:])
    print("opened type %d counter %d, %d bytes" % (blob[5], counter, len(text)))
    if text:
        print("body " + text.hex())


def main(argv):
    cmd = argv[1]
    if cmd == "keyid":
        print("%016x" % key_id(unb64(argv[2])))
        return
    st = State(argv[2])
    if cmd == "keygen":
        keygen(st)
    elif cmd == "init":
        init(st, unb64(argv[3]))
    elif cmd == "response":
        response(st, unb64(argv[3]))
    elif cmd == "respond":
        respond(st, unb64(argv[3]))
    elif cmd == "open":
        open_msg(st, unb64(argv[3]))
    elif cmd == "seal":
        seal_msg(st, int(argv[3]), *([int(argv[4]), bytes.fromhex(argv[5])]
                                     if len(argv) > 5 else []))
    elif cmd == "psk":
        st["psk"] = bytes.fromhex(argv[3])
        assert len(st["psk"]) == 32
    else:
        sys.exit("unknown step " + cmd)
    st.save()


if __name__ == "__main__":
    main(sys.argv)
