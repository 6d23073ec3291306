# SPDX-License-Identifier: GPL-2.0-only
# 48-key-replace.py KSRC SPEC OLD NEW: the wire cases of 48-key-replace.sh
# that ksfctl cannot send (one "ok DESC" or "fail DESC" line each),
# through tools/net/ynl/lib of KSRC.  OLD and NEW are two keys of one
# owner that may replace each other; none of these requests may.
import sys

sys.path.insert(0, sys.argv[1] + '/tools/net/ynl')
from lib import YnlFamily, NlError  # noqa: E402

y = YnlFamily(sys.argv[2], schema='')
old, new = int(sys.argv[3], 0), int(sys.argv[4], 0)


def check(cond, desc, got=None):
    print(('ok ' if cond else 'fail ') + desc)
    if not cond and got is not None:
        print('got: %r' % (got,))


def err(desc, req, want):
    try:
        y.do('notify', req)
    except NlError as e:
        check(want in str(e), desc, str(e))
        return
    check(False, desc, 'no error')


err('key-replace without new-key is refused',
    {'status': 'key-replace', 'key': old}, "'miss-type': 'new-key'")
err('key-replace without key is refused',
    {'status': 'key-replace', 'new-key': new}, "'miss-type': 'key'")
err('key-replace with a subject peer is refused',
    {'status': 'key-replace', 'key': old, 'new-key': new,
     'peer': 'imsi-001010000000001'},
    'key-replace takes keys, not a subject peer')
err('key and new-key with another status are refused',
    {'status': 'registered', 'peer': 'x', 'key': old, 'new-key': new},
    'key and new-key only with status key-replace')
