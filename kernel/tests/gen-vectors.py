#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the known-answer vectors of ../shared/vectors/*.json into a C table
for the KUnit suites (kernel/tests/vectors.h, committed).

    gen-vectors.py VECTOR_DIR OUT.h      write OUT.h
    gen-vectors.py --check VECTOR_DIR OUT.h   fail if OUT.h is stale
"""
import json
import os
import sys


def cbytes(hexstr):
    b = bytes.fromhex(hexstr)
    if not b:
        return '""', 0
    return '"' + ''.join('\\x%02x' % x for x in b) + '"', len(b)


def load(vdir, name):
    with open(os.path.join(vdir, name)) as f:
        return json.load(f)['cases']


def emit_hmac(out, cases):
    out.append('static const struct ksf_mac_vector ksf_hmac_sha256_vectors[] __maybe_unused = {')
    for c in cases:
        key, klen = cbytes(c['key'])
        data, dlen = cbytes(c['data'])
        mac, mlen = cbytes(c['hmac_sha256'])
        out.append('\t{ "%s", %s, %d, %s, %d, %s, %d },' %
                   (c['id'], key, klen, data, dlen, mac, mlen))
    out.append('};\n')


def emit_cmac(out, cases):
    out.append('static const struct ksf_mac_vector ksf_aes_cmac_vectors[] __maybe_unused = {')
    for c in cases:
        key, klen = cbytes(c['key'])
        data, dlen = cbytes(c['message'])
        mac, mlen = cbytes(c['mac'])
        out.append('\t{ "%s", %s, %d, %s, %d, %s, %d },' %
                   (c['id'], key, klen, data, dlen, mac, mlen))
    out.append('};\n')


def emit_kdf(out, cases):
    out.append('static const struct ksf_kdf_vector ksf_kdf_vectors[] __maybe_unused = {')
    for c in cases:
        key, klen = cbytes(c['key'])
        params = []
        for i, p in enumerate(c['params']):
            v, n = cbytes(p['hex'])
            if int(p['L%d' % i], 16) != n:
                sys.exit('%s: L%d does not match P%d' % (c['id'], i, i))
            params.append('{ %s, %d }' % (v, n))
        outv, olen = cbytes(c['output'])
        sel = c.get('output_select', 'all')
        offset = {'all': 0, 'last16': 16}[sel]
        out.append('\t{ "%s", %s, %d, 0x%s, %d, { %s }, %s, %d, %d },' %
                   (c['id'], key, klen, c['fc'], len(params),
                    ', '.join(params), outv, olen, offset))
    out.append('};\n')


MILENAGE_FIELDS = (('k', 16), ('rand', 16), ('sqn', 6), ('amf', 2),
                   ('op', 16), ('opc', 16), ('f1', 8), ('f1star', 8),
                   ('f2', 8), ('f3', 16), ('f4', 16), ('f5', 6),
                   ('f5star', 6))


def emit_milenage(out, cases):
    out.append('static const struct ksf_milenage_vector ksf_milenage_vectors[] __maybe_unused = {')
    for c in cases:
        vals = []
        for name, n in MILENAGE_FIELDS:
            v, vlen = cbytes(c[name])
            if vlen != n:
                sys.exit('%s: %s is %d bytes, not %d' % (c['id'], name, vlen, n))
            vals.append(v)
        out.append('\t{ "%s", %s },' % (c['id'], ', '.join(vals)))
    out.append('};\n')


def emit_nas(out, name, cases, outfield):
    out.append('static const struct ksf_nas_vector %s[] __maybe_unused = {' % name)
    for c in cases:
        key, klen = cbytes(c['key'])
        inp, ilen = cbytes(c['plaintext' if outfield == 'ciphertext' else 'message'])
        res, rlen = cbytes(c[outfield])
        bits = c['length_bits']
        need = (bits + 7) // 8
        if ilen < need or (outfield == 'ciphertext' and rlen != need) or \
           (outfield == 'mac' and rlen != 4) or not 0 <= c['bearer'] < 32 or \
           c['direction'] not in (0, 1):
            sys.exit('%s: lengths, bearer or direction not valid' % c['id'])
        out.append('\t{ "%s", %s, %d, 0x%08x, %d, %d, %d, %s, %d, %s, %d },' %
                   (c['id'], key, klen, int(c['count'], 16), c['bearer'],
                    c['direction'], bits, inp, ilen, res, rlen))
    out.append('};\n')


def emit_x25519(out, cases):
    """The X25519 part of the SUCI Profile A cases: two key pairs and
    the shared secret between them."""
    out.append('static const struct ksf_x25519_vector ksf_x25519_vectors[] __maybe_unused = {')
    for c in cases:
        if c['profile'] != 'A':
            continue
        fields = [cbytes(c[k])[0] for k in (
            'home_network_private_key', 'home_network_public_key',
            'eph_private_key', 'eph_public_key', 'eph_shared_key')]
        out.append('\t{ "%s",\n\t  %s },' % (c['id'], ',\n\t  '.join(fields)))
    out.append('};\n')


def emit_suci(out, cases):
    """Every SUCI case whole: the home network key pair (the public key
    as published, and compressed for Profile B), the ephemeral key pair,
    the shared secret, the scheme input and output."""
    out.append('static const struct ksf_suci_vector ksf_suci_vectors[] __maybe_unused = {')
    for c in cases:
        prof = {'A': 1, 'B': 2}[c['profile']]
        hn_pub = bytes.fromhex(c['home_network_public_key'])
        if prof == 1:
            short = hn_pub
        else:
            x, y = hn_pub[1:33], hn_pub[33:]
            short = bytes([2 | (y[-1] & 1)]) + x
            if c.get('home_network_public_key_compressed', short.hex()) != short.hex():
                sys.exit('%s: the compressed public key is not the point' % c['id'])
        eph_pub = bytes.fromhex(c['eph_public_key'])
        out_b = bytes.fromhex(c['scheme_output'])
        inp = bytes.fromhex(c['scheme_input'])
        ct = bytes.fromhex(c['ciphertext'])
        tag = bytes.fromhex(c['mac_tag'])
        if out_b != eph_pub + ct + tag or len(ct) != len(inp) or len(tag) != 8:
            sys.exit('%s: scheme output is not eph || ciphertext || tag' % c['id'])
        fields = [cbytes(c['home_network_private_key'])[0]]
        fields.append('%s, %d' % cbytes(hn_pub.hex()))
        fields.append('%s, %d' % cbytes(short.hex()))
        fields += [cbytes(c[k])[0] for k in ('eph_private_key', 'eph_shared_key')]
        fields.append('%s, %d' % cbytes(eph_pub.hex()))
        fields.append('%s, %d' % cbytes(c['scheme_input']))
        fields.append('%s, %d' % cbytes(c['scheme_output']))
        out.append('\t{ "%s", %d,\n\t  %s },' % (c['id'], prof, ',\n\t  '.join(fields)))
    out.append('};\n')


def generate(vdir):
    out = ['/* SPDX-License-Identifier: GPL-2.0-only */',
           '/* Generated by kernel/tests/gen-vectors.py from the published',
           ' * known-answer vectors (shared/vectors/); do not edit. */',
           '#ifndef _KSF_TEST_VECTORS_H',
           '#define _KSF_TEST_VECTORS_H\n',
           '#include "vector-types.h"\n']
    emit_hmac(out, load(vdir, 'hmac_sha256.json'))
    emit_cmac(out, load(vdir, 'aes_cmac.json'))
    emit_kdf(out, load(vdir, 'kdf_5g.json'))
    emit_milenage(out, load(vdir, 'milenage.json'))
    for alg in ('eea1', 'eea2', 'eea3'):
        emit_nas(out, 'ksf_%s_vectors' % alg, load(vdir, alg + '.json'),
                 'ciphertext')
    for alg in ('eia1', 'eia2', 'eia3'):
        emit_nas(out, 'ksf_%s_vectors' % alg, load(vdir, alg + '.json'), 'mac')
    emit_x25519(out, load(vdir, 'suci_ecies.json'))
    emit_suci(out, load(vdir, 'suci_ecies.json'))
    out.append('#endif /* _KSF_TEST_VECTORS_H */')
    return '\n'.join(out) + '\n'


def main():
    args = sys.argv[1:]
    check = args and args[0] == '--check'
    if check:
        args = args[1:]
    vdir, path = args
    text = generate(vdir)
    if check:
        with open(path) as f:
            if f.read() != text:
                sys.exit('%s is stale: run make vectors' % path)
        return
    with open(path, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
