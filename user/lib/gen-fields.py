#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Generate user/lib/ksf-fields.h, libksf's tables of names and fields,
# from the YNL spec and the service-family side file:
#  - the name of every value of every enum and flags set (ksf_name());
#  - the fields of items and results: the common ones (attributes of the
#    item / result set) and those of each family (item-<family>,
#    result-<family>), each with its kind, enum table, multi flag and
#    attribute type, indexed by attribute type;
#  - each service's family;
#  - the largest encoded result of each family, from the spec's max-len
#    checks, which size the reply buffers (an unbounded result attribute
#    is an error here);
#  - the fields of a policy;
# and user/lib/ksf-attr-names.h: the spec's names of the attribute sets,
# their attributes and the commands, so that libksf names the attribute
# an extended ack points at.
#   gen-fields.py SPEC SERVICES FIELDS_H ATTR_NAMES_H [--check]
import sys

import yaml

NLA_HDRLEN = 4


def cname(s):
    return s.upper().replace('-', '_')


def align(n):
    return (n + 3) & ~3


def const_value(spec, v):
    if isinstance(v, int):
        return v
    for d in spec.get('definitions', []):
        if d['name'] == v and d['type'] == 'const':
            return d['value']
    raise SystemExit(f'gen-fields: unknown constant {v}')


KINDS = {'u8': 'KSF_KIND_U8', 'u32': 'KSF_KIND_U32', 's32': 'KSF_KIND_S32',
         'u64': 'KSF_KIND_U64', 'string': 'KSF_KIND_STRING',
         'binary': 'KSF_KIND_BINARY'}


class Gen:
    def __init__(self, spec, svc):
        self.spec = spec
        self.svc = svc
        self.sets = {s['name']: s for s in spec['attribute-sets']}
        self.enums = {d['name']: d for d in spec['definitions']
                      if d['type'] in ('enum', 'flags')}
        self.out = []

    def w(self, s=''):
        self.out.append(s)

    def enum_values(self, d):
        start = d.get('value-start', 0)
        vals = []
        for i, e in enumerate(d['entries']):
            name = e['name'] if isinstance(e, dict) else e
            vals.append((start + i, name))
        return vals

    def names(self):
        w = self.w
        w('/* Names of the values of each enum (flags: of each bit). */')
        for name, d in self.enums.items():
            ident = name.replace('-', '_')
            w(f'static const char *const ksfl_names_{ident}[] = {{')
            for v, n in self.enum_values(d):
                w(f'\t[{v}] = "{n}",')
            w('};')
        w('')
        w('static const struct ksfl_name_table ksfl_name_tables[] = {')
        for name, d in self.enums.items():
            ident = name.replace('-', '_')
            flags = 1 if d['type'] == 'flags' else 0
            w(f'\t[KSF_NAMES_{cname(name)}] = {{ ksfl_names_{ident},')
            w(f'\t\tsizeof(ksfl_names_{ident}) / sizeof(ksfl_names_{ident}[0]), {flags} }},')
        w('};')
        w('')

    def attr_kind(self, a):
        t = a['type']
        if t not in KINDS:
            return None
        return KINDS[t]

    def attr_names(self, a):
        e = a.get('enum')
        return f'KSF_NAMES_{cname(e)} + 1' if e else '0'

    def max_size(self, a, set_name):
        """Largest encoding of attribute a (with its header and padding)."""
        if a.get('multi-attr'):
            raise SystemExit(f'gen-fields: {set_name}.{a["name"]}: a multi '
                             'attribute in a result has no bound')
        t = a['type']
        fixed = {'u8': 1, 'u32': 4, 's32': 4, 'flag': 0}
        if t in fixed:
            return NLA_HDRLEN + align(fixed[t])
        if t == 'u64':
            # nla_put_u64_64bit may put a pad attribute before it
            return NLA_HDRLEN + NLA_HDRLEN + 8
        checks = a.get('checks', {})
        if t in ('binary', 'string'):
            n = checks.get('exact-len', checks.get('max-len'))
            if n is None:
                raise SystemExit(f'gen-fields: {set_name}.{a["name"]}: no '
                                 'max-len: the reply cannot be sized')
            n = const_value(self.spec, n)
            if t == 'string':
                n += 1
            return NLA_HDRLEN + align(n)
        if t == 'pad':
            return 0
        raise SystemExit(f'gen-fields: {set_name}.{a["name"]}: type {t}')

    def field_table(self, ident, set_name, skip, nest):
        """Fields of a set, indexed by attribute type; returns the count."""
        s = self.sets[set_name]
        w = self.w
        w(f'static const struct ksfl_fdesc {ident}[] = {{')
        for i, a in enumerate(s['attributes']):
            kind = self.attr_kind(a)
            if a['name'] in skip or not kind:
                continue
            attr = f'KSF_A_{cname(set_name)}_{cname(a["name"])}'
            multi = 1 if a.get('multi-attr') else 0
            w(f'\t[{attr}] = {{ "{a["name"]}", {kind}, {self.attr_names(a)}, '
              f'{multi}, {nest}, {attr} }},')
        w('};')
        w('')

    def families(self):
        w = self.w
        fams = self.svc['families']
        w('/* Fields of the item and result sets (indexed by attribute type). */')
        self.field_table('ksft_item_common', 'item',
                         ['service'] + fams, 0)
        self.field_table('ksft_result_common', 'result',
                         ['index', 'status', 'error', 'reason'] + fams, 0)
        common = NLA_HDRLEN
        for a in self.sets['result']['attributes']:
            if a['name'] not in fams:
                common += self.max_size(a, 'result')
        sizes = {}
        for i, f in enumerate(fams):
            self.field_table(f'ksft_item_{f}', f'item-{f}', [], i + 1)
            rset = f'result-{f}'
            if rset in self.sets:
                self.field_table(f'ksft_result_{f}', rset, [], i + 1)
                n = NLA_HDRLEN
                for a in self.sets[rset]['attributes']:
                    n += self.max_size(a, rset)
                sizes[f] = common + n
            else:
                sizes[f] = common
        w('#define KSFL_TABLE(t) t, sizeof(t) / sizeof(t[0])')
        w('')
        w('/*')
        w(' * Each family: its nests in an item and a result, their fields, and')
        w(' * the largest "result" attribute a service of the family is answered')
        w(' * with (from the spec\'s max-len checks).')
        w(' */')
        w('static const struct ksfl_family ksfl_families[] = {')
        for i, f in enumerate(fams):
            rset = f'result-{f}'
            w(f'\t[{i + 1}] = {{ "{f}", KSF_A_ITEM_{cname(f)},')
            w(f'\t\tKSFL_TABLE(ksft_item_{f}),')
            if rset in self.sets:
                w(f'\t\tKSF_A_RESULT_{cname(f)}, KSFL_TABLE(ksft_result_{f}),')
            else:
                w('\t\t0, NULL, 0,')
            w(f'\t\t{sizes[f]} }},')
        w('};')
        w('')
        w(f'#define KSFL_N_FAMILIES {len(fams) + 1}')
        w(f'/* The largest "result" attribute of any service. */')
        w(f'#define KSFL_RESULT_MAX {max(sizes.values())}')
        w('')
        w('/* The family of each service (index in ksfl_families). */')
        w('static const unsigned char ksfl_service_family[] = {')
        svcs = dict(self.enum_values(self.enums['service']))
        for v, name in svcs.items():
            fam = self.svc['services'].get(name)
            if fam not in fams:
                raise SystemExit(f'gen-fields: service {name} has no family')
            w(f'\t[KSF_SERVICE_{cname(name)}] = {fams.index(fam) + 1},')
        for name in self.svc['services']:
            if name not in svcs.values():
                raise SystemExit(f'gen-fields: {name} is no service of the spec')
        w('};')
        w('')

    def policy(self):
        self.w('/* Fields of a policy (indexed by attribute type). */')
        s = self.sets['policy']
        w = self.w
        w('static const struct ksfl_fdesc ksft_policy_fields[] = {')
        for a in s['attributes']:
            kind = self.attr_kind(a)
            if not kind:
                continue
            attr = f'KSF_A_POLICY_{cname(a["name"])}'
            w(f'\t[{attr}] = {{ "{a["name"]}", {kind}, 0, 0, 0, {attr} }},')
        w('};')
        w('')

    def run(self):
        w = self.w
        w('/* SPDX-License-Identifier: LGPL-2.1-or-later */')
        w('/* Generated by gen-fields.py from Documentation/netlink/specs/ksf.yaml')
        w(' * and ksf-services.yaml: do not edit. */')
        w('#ifndef KSF_FIELDS_H')
        w('#define KSF_FIELDS_H')
        w('')
        self.names()
        self.families()
        self.policy()
        w('#endif')
        return '\n'.join(self.out) + '\n'


def attr_names(spec):
    """The text of ksf-attr-names.h."""
    out = []
    w = out.append
    prefix = 'KSF_A_'
    sets = spec['attribute-sets']
    ids = {s['name']: i for i, s in enumerate(sets)}
    out = []
    w = out.append
    w('/* SPDX-License-Identifier: LGPL-2.1-or-later */')
    w('/* Generated by gen-fields.py from')
    w(' * Documentation/netlink/specs/ksf.yaml: do not edit. */')
    w('#ifndef KSF_ATTR_NAMES_H')
    w('#define KSF_ATTR_NAMES_H')
    w('')
    w('struct ksf_attr_name {')
    w('\tconst char *name;')
    w('\tint nested;\t\t/* attribute set of a nest, else -1 */')
    w('\tint multi;\t\t/* may come several times */')
    w('};')
    w('')
    w('enum {')
    for s in sets:
        w(f'\tKSF_SET_{cname(s["name"])},')
    w('\tKSF_SET_COUNT')
    w('};')
    w('')
    for s in sets:
        w(f'static const struct ksf_attr_name ksf_attrs_{s["name"].replace("-", "_")}[] = {{')
        for a in s['attributes']:
            nested = a.get('nested-attributes')
            nid = f'KSF_SET_{cname(nested)}' if nested else '-1'
            multi = 1 if a.get('multi-attr') else 0
            w(f'\t[{prefix}{cname(s["name"])}_{cname(a["name"])}] = '
              f'{{ "{a["name"]}", {nid}, {multi} }},')
        w('};')
        w('')
    w('static const struct {')
    w('\tconst char *name;')
    w('\tconst struct ksf_attr_name *attrs;')
    w('\tunsigned int n;')
    w('} ksf_attr_sets[] = {')
    for s in sets:
        v = f'ksf_attrs_{s["name"].replace("-", "_")}'
        w(f'\t[KSF_SET_{cname(s["name"])}] = {{ "{s["name"]}", {v},')
        w(f'\t\tsizeof({v}) / sizeof({v}[0]) }},')
    w('};')
    w('')
    w('/* Each command: its name and the attribute set of its request. */')
    w('static const struct {')
    w('\tconst char *name;')
    w('\tint set;')
    w('} ksf_cmd_names[] = {')
    for op in spec['operations']['list']:
        w(f'\t[KSF_CMD_{cname(op["name"])}] = {{ "{op["name"]}", '
          f'KSF_SET_{cname(op["attribute-set"])} }},')
    w('};')
    w('')
    w('#endif')
    return '\n'.join(out) + '\n'


def emit(path, text, check):
    if check:
        with open(path) as f:
            if f.read() != text:
                print(f'{path} is stale: run make -C user names',
                      file=sys.stderr)
                sys.exit(1)
        return
    with open(path, 'w') as f:
        f.write(text)


def main():
    spec_path, svc_path, fields_path, names_path = sys.argv[1:5]
    check = '--check' in sys.argv[5:]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(svc_path) as f:
        svc = yaml.safe_load(f)
    emit(fields_path, Gen(spec, svc).run(), check)
    emit(names_path, attr_names(spec), check)


if __name__ == '__main__':
    main()
