# SPDX-License-Identifier: GPL-2.0-only
# 39-wire.py KSRC SPEC: the cases of 39-wire.sh (one "ok DESC" or
# "fail DESC" line each), through tools/net/ynl/lib of KSRC.
import hashlib
import os
import sys

import yaml

sys.path.insert(0, sys.argv[1] + '/tools/net/ynl')
from lib import YnlFamily, NlError  # noqa: E402

y = YnlFamily(sys.argv[2], schema='')


def check(cond, desc, got=None):
    print(('ok ' if cond else 'fail ') + desc)
    if not cond and got is not None:
        print('got: %r' % (got,))


def bitmap(bits, width=3):
    b = bytearray(width)
    for i in bits:
        b[i // 8] |= 1 << (i % 8)
    return bytes(b)


def run(*items):
    return y.do('service-request', {'item': list(items)})['result']


def refused(item, reason, desc):
    """An item the kernel refuses before running it, with this reason."""
    r = run(item)[0]
    check(r['status'] == 'error' and r['reason'] == reason, desc, r)


def err(desc, fn, want):
    try:
        fn()
    except NlError as e:
        check(want in str(e), desc, str(e))
        return
    check(False, desc, 'no error')


# Dumps take the restore gate: while a restore is open (its header sent,
# the socket open), a dump is refused; closing the socket undoes it.
kek, sealed = int(sys.argv[3]), sys.argv[4]
if kek:
    import time
    blob = open(sealed, 'rb').read()
    hdr = blob[:int.from_bytes(blob[4:8], 'big')]
    y.do('restore', {'kek-serial': kek, 'chunk': [hdr]})
    y2 = YnlFamily(sys.argv[2], schema='')
    err('a key dump during an open restore is refused',
        lambda: y2.dump('key-get', {}), 'a restore is in progress')
    err('a peer dump during an open restore is refused',
        lambda: y2.dump('peer-get', {}), 'a restore is in progress')
    y.sock.close()
    for _ in range(50):
        try:
            y2.dump('key-get', {})
            break
        except NlError:
            time.sleep(0.1)
    check(y2.dump('peer-get', {}) == [],
          'the restore undone when its socket closed, dumps work again')
    y = y2
else:
    print('ok # SKIP keyctl not available: dump gate')



def enum_len(name):
    """The number of entries of the spec's enum (values from 1)."""
    with open(sys.argv[2]) as f:
        spec = yaml.safe_load(f)
    return len(next(d for d in spec['definitions']
                    if d['name'] == name)['entries'])


# the kernel's bitmaps are as wide as the last value needs
SERVICES = range(1, enum_len('service') + 1)
ALGS = range(1, enum_len('alg') + 1)
SW, AW = (len(SERVICES) + 8) // 8, (len(ALGS) + 8) // 8
y.do('peer-new', {'id': 'nf', 'kind': 'nf', 'uid': 0,
                  'policy': {'services': bitmap(SERVICES, SW),
                             'algs': bitmap(ALGS, AW)}})
pol = y.do('peer-get', {'id': 'nf'})['policy']
check(pol['services'] == bitmap(SERVICES, SW) and
      pol['algs'] == bitmap(ALGS, AW),
      'policy services and algs come back as the bitmaps set', pol)
err('a services bit beyond the last service is refused',
    lambda: y.do('peer-set', {'id': 'nf', 'policy': {
        'services': bitmap([len(SERVICES) + 1], SW + 1)}}),
    'services has an unknown bit')
err('services bit 0 is refused',
    lambda: y.do('peer-set', {'id': 'nf', 'policy': {'services': bitmap([0])}}),
    'services has an unknown bit')
err('a bitmap over 32 bytes is refused',
    lambda: y.do('peer-set', {'id': 'nf', 'policy': {'services': bytes(33)}}),
    'at most 32 bytes')

mk = y.do('key-new', {'type': 'generic', 'len': 32, 'owner': 'nf',
                      'usage': ['mac', 'verify']})['handle']
ak = y.do('key-new', {'type': 'aes', 'len': 16, 'owner': 'nf'})['handle']
dk = y.do('key-new', {'type': 'generic', 'len': 32, 'owner': 'nf'})['handle']

r = run({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
         'mac': {'data': b'hello'}})[0]
tag = r.get('mac', {}).get('data')
check(r['status'] == 'ok' and tag is not None and len(tag) == 32,
      'mac-generate: the tag in the result\'s mac nest', r)
r = run({'service': 'mac-verify', 'alg': 'hmac-sha256', 'key': mk,
         'mac': {'data': b'hello', 'mac': tag}})[0]
check(r['status'] == 'ok' and 'mac' not in r, 'mac-verify of that tag: ok, no outputs', r)
r = run({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
         'mac': {'data': b'hello', 'mac-len': 16}})[0]
check(r['status'] == 'ok' and r['mac']['data'] == tag[:16],
      'mac-len 16: the tag\'s first 16 bytes', r)

refused({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
        'mac': {'data': b'x'}, 'kdf': {'fc': 1}},
        'mac-generate takes no kdf nest',
        'the nest of another family is refused, named')
refused({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
        'mac': {'data': b'x', 'mac': tag}},
        'mac-generate takes no mac',
        'a field the service does not take is refused, named')
refused({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
        'subscriber': 'imsi-1', 'mac': {'data': b'x'}},
        'mac-generate takes no subscriber',
        'a common field the service does not take is refused, named')
# a field of each family that the service does not take is named
for item, want in (
        ({'service': 'encrypt', 'key': ak, 'aead': {'data': b'x', 'mac': bytes(16)}},
         'encrypt takes no mac'),
        ({'service': 'nas-protect', 'subscriber': 'imsi-1',
          'nas': {'data': b'x', 'mac': b'abcd'}}, 'nas-protect takes no mac'),
        ({'service': 'hres-star', 'aka': {'rand': bytes(16), 'res': bytes(16),
                                          'autn': bytes(16)}},
         'hres-star takes no autn')):
    r = run(item)[0]
    check(r['status'] == 'error' and r['reason'] == want,
          'a field the service does not take: ' + want, r)
# alg, key and peer: refused where the service does not take them
refused({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
        'peer': 'nf', 'mac': {'data': b'x'}},
        'mac-generate takes no peer',
        'a peer on a local service is refused, named')
refused({'service': 'nas-protect', 'alg': 'nia2', 'subscriber': 'imsi-1',
        'nas': {'data': b'x'}},
        'nas-protect takes no alg',
        'an alg on a service of the context\'s algorithms is refused, named')
refused({'service': 'nas-protect', 'key': mk, 'subscriber': 'imsi-1',
        'nas': {'data': b'x'}},
        'nas-protect takes no key',
        'a key on a service of the context\'s keys is refused, named')
r = run({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
         'mac': {'data': bytes(16385)}})[0]
check(r['status'] == 'error' and r['error'] == -90 and
      r['reason'] == 'data longer than data-max-len',
      'data of data-max-len + 1 bytes: EMSGSIZE naming data', r)
refused({'service': 'mac-verify', 'alg': 'hmac-sha256', 'key': mk,
        'mac': {'data': b'x', 'mac': bytes(33)}},
        'mac longer than 32 bytes',
        'a 33-byte mac: refused naming mac')

r = run({'service': 'encrypt', 'key': ak,
         'aead': {'data': b'secret', 'aad': b'hdr'}})[0]
a = r.get('aead', {})
check(r['status'] == 'ok' and len(a.get('iv', b'')) == 12 and
      len(a.get('mac', b'')) == 16 and len(a.get('data', b'')) == 6,
      'encrypt: ciphertext, tag and IV in the aead nest', r)
r2 = run({'service': 'decrypt', 'key': ak,
          'aead': {'data': a['data'], 'aad': b'hdr', 'mac': a['mac'],
                   'iv': a['iv']}})[0]
check(r2['status'] == 'ok' and r2['aead']['data'] == b'secret',
      'decrypt gives the plaintext back', r2)
r = run({'service': 'encrypt', 'key': ak, 'aead': {'data': b'x', 'iv': bytes(12)}})[0]
check(r['status'] == 'rejected' and
      r['reason'] == 'caller-supplied IV needs caller-rand in the trusted policy',
      'a caller IV without caller-rand: rejected by the decision point', r)

big = run(*[{'service': 'encrypt', 'key': ak, 'aead': {'data': bytes(16384)}}] * 4)
check(len(big) == 4 and all(x['status'] == 'ok' and len(x['aead']['data']) == 16384
                            for x in big),
      'four 16 KiB encryptions in one reply (sized from the descriptors)')

rand = bytes(range(16))
res = bytes(range(16, 32))
r = run({'service': 'hres-star', 'aka': {'rand': rand, 'res': res}})[0]
want = hashlib.sha256(rand + res).digest()[16:]
check(r['status'] == 'ok' and r['aka']['hres'] == want,
      'hres-star takes res and returns hres (SHA-256 low half)', r)

r = run({'service': 'kdf', 'key': dk,
         'kdf': {'fc': 0x10, 'param': [b'p0', b'p1'], 'out-len': 16}})[0]
check(r['status'] == 'ok' and r.get('key'), 'kdf: the new key handle', r)

y.do('peer-set', {'id': 'nf', 'policy': {'services': bitmap([2])}})
r = run({'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
         'mac': {'data': b'x'}})[0]
check(r['status'] == 'rejected' and r['reason'] == 'service not in the trusted policy',
      'a service outside the bitmap is rejected', r)
y.do('peer-set', {'id': 'nf', 'policy': {'services': b''}})
pol = y.do('peer-get', {'id': 'nf'})['policy']
check(pol['services'] == bytes(3), 'an empty services bitmap: no service', pol)

# typed notify presets and timers: decoded when set, encoded back by get
y.do('peer-set', {'id': 'nf', 'policy': {'services': bitmap(SERVICES)}})
preset_item = {'service': 'mac-generate', 'alg': 'hmac-sha256', 'key': mk,
               'mac': {'data': b'hello'}}
kdf_item = {'service': 'kdf', 'key': dk,
            'kdf': {'fc': 0x10, 'param': [b'a', b'bc'], 'param-key': [dk]}}
y.do('peer-set', {'id': 'nf', 'policy': {
    'notify': [{'status': 'registered', 'item': [preset_item, kdf_item]}],
    'timer': [{'period': 3600000, 'item': [preset_item]}]}})
pol = y.do('peer-get', {'id': 'nf'})['policy']
n = pol.get('notify', [{}])[0]
check(n.get('status') == 'registered' and len(n.get('item', [])) == 2 and
      n['item'][0]['mac'] == {'data': b'hello'} and n['item'][0]['key'] == mk and
      n['item'][1]['kdf']['param'] == [b'a', b'bc'] and
      n['item'][1]['kdf']['param-key'] == [dk],
      'a notify preset comes back through the codec, fields and order kept', pol)
t = pol.get('timer', [{}])[0]
check(t.get('period') == 3600000 and t.get('item', [{}])[0].get('mac') ==
      {'data': b'hello'}, 'a timer comes back through the codec', pol)
r = y.do('notify', {'status': 'registered'})['result']
check(len(r) == 2 and r[0]['status'] == 'ok' and r[0]['mac']['data'] == tag and
      r[1]['status'] == 'ok' and r[1].get('key'),
      'notify runs the typed preset (the same tag as a request)', r)
# 6.1 has no formatted extack messages: a fixed one there.
fmt_extack = tuple(int(x) for x in os.uname().release.split('.')[:2]) >= (6, 2)
err('a preset item with the nest of another family is refused when set',
    lambda: y.do('peer-set', {'id': 'nf', 'policy': {'notify': [
        {'status': 'deregistered',
         'item': [{'service': 'mac-generate', 'kdf': {'fc': 1}}]}]}}),
    'service list item 0: mac-generate takes no kdf nest' if fmt_extack else
    'a service list item is not valid')
pol2 = y.do('peer-get', {'id': 'nf'})['policy']
check(pol2.get('notify') == pol.get('notify'),
      'a refused change leaves the presets as they were', pol2)
y.do('peer-set', {'id': 'nf', 'policy': {'lifetime-max': 100}})
pol3 = y.do('peer-get', {'id': 'nf'})['policy']
check(pol3.get('notify') == pol.get('notify') and
      pol3.get('timer') == pol.get('timer') and pol3['lifetime-max'] == 100,
      'a scalar change keeps the lists', pol3)
# every field of every family and every common field, kept by a preset:
# decoded when set (not checked against the service: that is when it
# runs), copied, and encoded back as set
full = [{'service': 'nas-unprotect', 'alg': 'nia2', 'key': mk, 'key2': dk,
         'peer': 'nf', 'subscriber': 'imsi-1', 'context': 7,
         'nas': {'data': b'\x7e\x00', 'mac': b'abcd', 'count': 3, 'bearer': 1,
                 'direction': 1, 'bits': 12, 'seq': 5, 'int-alg': 'nia2',
                 'enc-alg': 'nea2'}},
        {'service': 'decrypt', 'key': ak,
         'aead': {'data': b'ct', 'mac': bytes(16), 'iv': bytes(12), 'aad': b'h'}},
        {'service': 'aka-response', 'key': mk, 'key2': dk, 'subscriber': 'imsi-2',
         'aka': {'rand': bytes(16), 'autn': bytes(16), 'auts': bytes(14),
                 'amf': b'\x80\x00', 'snn': 'snn-x', 'sqn': 9, 'res': bytes(16)}}]
y.do('peer-set', {'id': 'nf', 'policy': {'notify': [
    {'status': 'deregistered', 'item': full}]}})
pol5 = y.do('peer-get', {'id': 'nf'})['policy']
back = [n for n in pol5.get('notify', []) if n['status'] == 'deregistered']
check(back and back[0]['item'] == full,
      'a preset keeps every field of the nas, aead and aka nests and every common field',
      back)
err('a preset list with a bad second item is refused whole',
    lambda: y.do('peer-set', {'id': 'nf', 'policy': {'notify': [
        {'status': 'registered',
         'item': [preset_item, {'service': 'kdf', 'mac': {'data': b'x'}}]}]}}),
    'service list item 1: kdf takes no mac nest' if fmt_extack else
    'a service list item is not valid')
err('notify-clear with notify presets is refused',
    lambda: y.do('peer-set', {'id': 'nf', 'policy': {
        'notify-clear': True,
        'notify': [{'status': 'registered', 'item': [preset_item]}]}}),
    'notify-clear given with notify presets')
err('timer-clear with timers is refused',
    lambda: y.do('peer-set', {'id': 'nf', 'policy': {
        'timer-clear': True, 'timer': [{'period': 1000, 'item': [preset_item]}]}}),
    'timer-clear given with timers')
check(y.do('peer-get', {'id': 'nf'})['policy'].get('notify') == pol5.get('notify'),
      'the refused changes left the presets as they were')

# lengths each family decoder checks, and what a service checks itself
refused({'service': 'kdf', 'key': dk, 'kdf': {'fc': 0x10, 'param': [bytes(257)]}},
        'param longer than 256 bytes',
        'a kdf param of 257 bytes: refused naming param')
refused({'service': 'decrypt', 'key': ak,
        'aead': {'data': b'x', 'mac': bytes(33), 'iv': bytes(12)}},
        'mac longer than 32 bytes',
        'an aead mac of 33 bytes: refused naming mac')
refused({'service': 'nas-verify', 'alg': 'nia2', 'key': mk,
        'nas': {'data': b'x', 'mac': bytes(33)}},
        'mac longer than 32 bytes',
        'a nas mac of 33 bytes: refused naming mac')
refused({'service': 'decrypt', 'key': ak,
        'aead': {'data': b'x', 'mac': bytes(8), 'iv': bytes(12)}},
        'decrypt needs a 16-byte mac (GCM tag)',
        'decrypt with an 8-byte tag: refused by the service')
refused({'service': 'mac-generate', 'key': mk, 'mac': {'data': b'x'}},
        'item has no alg',
        'mac-generate (no default algorithm) without alg: refused')

y.do('peer-set', {'id': 'nf', 'policy': {'notify-clear': True, 'timer-clear': True}})
pol4 = y.do('peer-get', {'id': 'nf'})['policy']
check('notify' not in pol4 and 'timer' not in pol4, 'notify-clear and timer-clear empty them', pol4)
