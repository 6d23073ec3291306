// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trusted policy on the wire (the codec core/peer.h registers):
 * a policy nest into a struct ksf_policy on top of the one it replaces,
 * its notify presets and timers decoded into typed requests; and back.
 * Saved states carry policies through the same codec (state.c).
 */
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/netlink.h>

#include "../ksf.h"
#include "../core/peer.h"
#include "../core/policy.h"
#include "../services/item.h"
#include "compat.h"
#include "ksf-nl-gen.h"
#include "codec.h"
#include "netlink.h"
#include "objects.h"

#define BITMAP_WIRE_MAX	32	/* bytes of a services/algs bitmap */

/* Total bytes of the attributes of @type directly inside @nest. */
static u32 nests_len(const struct nlattr *nest, int type, u32 *count)
{
	const struct nlattr *a;
	u32 len = 0;
	int rem;

	*count = 0;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == type) {
			len += NLA_ALIGN(a->nla_len);
			(*count)++;
		}
	}
	return len;
}

/* One item of a list into a typed request of its own allocation. */
static struct ksf_req *list_item(const struct nlattr *a, u32 index,
				 enum ksf_origin origin, size_t *mem,
				 struct netlink_ext_ack *extack)
{
	char reason[KSF_REASON_LEN];
	struct ksf_req *req, *copy;
	int ret;

	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return ERR_PTR(-ENOMEM);
	ret = ksf_nl_req_decode(a, req, reason, sizeof(reason));
	if (ret) {
		ksf_err_attr_fmt(extack, a, "a service list item is not valid",
				 "service list item %u: %s", index, reason);
		kfree(req);
		return ERR_PTR(ret);
	}
	req->origin = origin;
	copy = ksf_req_dup(req, mem);
	kfree(req);
	return copy ?: ERR_PTR(-ENOMEM);
}

/* The items of one preset or timer (@key: its status or period). */
static struct ksf_list *list_parse(const struct nlattr *nest, int item_type,
				   u32 key, size_t *mem,
				   struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	struct ksf_list *l;
	u32 n;
	int rem;

	nests_len(nest, item_type, &n);
	if (!n || n > KSF_BATCH_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a service list needs 1 to batch-max items");
		return ERR_PTR(-EINVAL);
	}
	l = kzalloc(struct_size(l, items, n), GFP_KERNEL_ACCOUNT);
	if (!l)
		return ERR_PTR(-ENOMEM);
	*mem += struct_size(l, items, n);
	l->key = key;
	nla_for_each_nested(a, nest, rem) {
		struct ksf_req *req;

		if (nla_type(a) != item_type)
			continue;
		req = list_item(a, l->n, item_type == KSF_A_TIMER_ITEM ?
				KSF_ORIGIN_TIMER : KSF_ORIGIN_NOTIFY, mem,
				extack);
		if (IS_ERR(req)) {
			while (l->n)
				kfree_sensitive(l->items[--l->n]);
			kfree(l);
			return ERR_CAST(req);
		}
		l->items[l->n++] = req;
	}
	return l;
}

/* The key of a preset (its status, once) or a timer (its period). */
static int list_key(const struct nlattr *a, int type, u32 *seen, u32 *key,
		    struct netlink_ext_ack *extack)
{
	const struct nlattr *k;

	if (type == KSF_A_POLICY_TIMER) {
		k = nla_find_nested(a, KSF_A_TIMER_PERIOD);
		if (!k) {
			NL_SET_ERR_MSG_ATTR(extack, a, "timer has no period");
			return -EINVAL;
		}
		*key = nla_get_u32(k);
		return 0;
	}
	k = nla_find_nested(a, KSF_A_NOTIFY_PRESET_STATUS);
	if (!k) {
		NL_SET_ERR_MSG_ATTR(extack, a, "notify preset has no status");
		return -EINVAL;
	}
	*key = nla_get_u32(k);
	if (*key == KSF_NOTIFY_STATUS_KEY_REPLACE) {
		NL_SET_ERR_MSG_ATTR(extack, k,
				    "key-replace runs no preset: it replaces a key");
		return -EINVAL;
	}
	if (*seen & BIT(*key)) {
		NL_SET_ERR_MSG_ATTR(extack, k, "two presets for one status");
		return -EINVAL;
	}
	*seen |= BIT(*key);
	return 0;
}

/* Every preset (@type KSF_A_POLICY_NOTIFY) or timer of @nest, decoded. */
static struct ksf_lists *lists_parse(const struct nlattr *nest, int type,
				     u32 n, u32 len,
				     struct netlink_ext_ack *extack)
{
	int item = type == KSF_A_POLICY_TIMER ? KSF_A_TIMER_ITEM :
						KSF_A_NOTIFY_PRESET_ITEM;
	struct ksf_lists *ls;
	const struct nlattr *a;
	u32 seen = 0, key;
	int rem, ret;

	ls = kzalloc(struct_size(ls, list, n), GFP_KERNEL_ACCOUNT);
	if (!ls)
		return ERR_PTR(-ENOMEM);
	refcount_set(&ls->ref, 1);
	ls->len = len;
	ls->mem = struct_size(ls, list, n);
	nla_for_each_nested(a, nest, rem) {
		struct ksf_list *l;

		if (nla_type(a) != type)
			continue;
		ret = list_key(a, type, &seen, &key, extack);
		l = ret ? ERR_PTR(ret) : list_parse(a, item, key, &ls->mem,
						    extack);
		if (IS_ERR(l)) {
			ksf_lists_put(ls);
			return ERR_CAST(l);
		}
		ls->list[ls->n++] = l;
	}
	return ls;
}

/*
 * A bitmap of the wire (bit n: bit n % 8 of byte n / 8, up to 32 bytes)
 * into @map of @nbits bits: a set bit 0 or beyond them names nothing
 * (-ENOENT, the caller says which).
 */
static int bitmap_from_nl(unsigned long *map, unsigned int nbits,
			  const struct nlattr *a, struct netlink_ext_ack *extack)
{
	const u8 *p = nla_data(a);
	int i, len = nla_len(a);

	if (len > BITMAP_WIRE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a, "a bitmap takes at most 32 bytes");
		return -EINVAL;
	}
	bitmap_zero(map, nbits);
	for (i = 0; i < len * 8; i++) {
		if (!(p[i / 8] & BIT(i % 8)))
			continue;
		if (!i || i >= nbits)
			return -ENOENT;
		__set_bit(i, map);
	}
	return 0;
}

static int bitmap_to_nl(struct sk_buff *skb, int type,
			const unsigned long *map, unsigned int nbits)
{
	u8 buf[BITMAP_WIRE_MAX] = {};
	unsigned int i;

	for_each_set_bit(i, map, nbits)
		buf[i / 8] |= BIT(i % 8);
	return nla_put(skb, type, DIV_ROUND_UP(nbits, 8), buf);
}

/* A services or algs bitmap, if present, names only ones that exist. */
static int policy_bitmap(unsigned long *map, const struct nlattr *a, bool svc,
			 struct netlink_ext_ack *extack)
{
	int ret;

	if (!a)
		return 0;
	ret = bitmap_from_nl(map, svc ? __KSF_SERVICE_MAX : __KSF_ALG_MAX, a,
			     extack);
	if (ret == -ENOENT && svc)
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "services has an unknown bit (bit n is service n, from 1)");
	else if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "algs has an unknown bit (bit n is alg n, from 1)");
	return ret ? -EINVAL : 0;
}

static int policy_bitmaps(struct ksf_policy *pol, struct nlattr **tb,
			  struct netlink_ext_ack *extack)
{
	return policy_bitmap(pol->services, tb[KSF_A_POLICY_SERVICES], true,
			     extack) ?:
	       policy_bitmap(pol->algs, tb[KSF_A_POLICY_ALGS], false, extack) ?:
	       policy_bitmap(pol->ask_services, tb[KSF_A_POLICY_ASK_SERVICES],
			     true, extack) ?:
	       policy_bitmap(pol->ask_algs, tb[KSF_A_POLICY_ASK_ALGS], false,
			     extack);
}

#define POLICY_U32(attr, member) KSF_NL_ATTR(attr, U32, ksf_policy, member)
#define TERMS_U32	4	/* the first four are negotiable terms */

/* The policy's numbers: each one attribute. */
static const struct ksf_nl_attr policy_attrs[] = {
	POLICY_U32(KSF_A_POLICY_KEY_LEN_MIN, key_len_min),
	POLICY_U32(KSF_A_POLICY_KEY_LEN_MAX, key_len_max),
	POLICY_U32(KSF_A_POLICY_LIFETIME_MAX, lifetime_max),
	POLICY_U32(KSF_A_POLICY_BATCH_MAX, batch_max),
	POLICY_U32(KSF_A_POLICY_MAC_LEN_MIN, mac_len_min),
	POLICY_U32(KSF_A_POLICY_KEYS_MAX, keys_max),
	POLICY_U32(KSF_A_POLICY_CONTEXTS_MAX, contexts_max),
};

static void policy_scalars(struct ksf_policy *pol, struct nlattr **tb)
{
	ksf_nl_get_attrs(tb, policy_attrs, ARRAY_SIZE(policy_attrs), pol);
	if (tb[KSF_A_POLICY_CALLER_RAND])
		pol->caller_rand = nla_get_u8(tb[KSF_A_POLICY_CALLER_RAND]);
	if (tb[KSF_A_POLICY_MAC_FCS])
		nla_memcpy(pol->mac_fcs, tb[KSF_A_POLICY_MAC_FCS],
			   sizeof(pol->mac_fcs));
	if (tb[KSF_A_POLICY_ENCRYPT_FCS])
		nla_memcpy(pol->encrypt_fcs, tb[KSF_A_POLICY_ENCRYPT_FCS],
			   sizeof(pol->encrypt_fcs));
}

/* What no single attribute's policy can check. */
static int policy_check(const struct ksf_policy *pol, const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (pol->key_len_min > pol->key_len_max) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "key-len-min is larger than key-len-max");
		return -EINVAL;
	}
	if (pol->mac_len_min && pol->mac_len_min < 4) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "mac-len-min is 0 (the full tag) or 4 to 32");
		return -EINVAL;
	}
	for (i = 0; i < sizeof(pol->mac_fcs); i++) {
		if (pol->mac_fcs[i] & pol->encrypt_fcs[i]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "an fc is in both mac-fcs and encrypt-fcs");
			return -EINVAL;
		}
	}
	i = KSF_FC_ALG_KEY;
	if ((pol->mac_fcs[i / 8] | pol->encrypt_fcs[i / 8]) & BIT(i % 8)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "fc 0x69 is not the policy's: its distinguisher decides");
		return -EINVAL;
	}
	return 0;
}

/*
 * An nf peer's carry list: IDs of ksf peers (each checked as a peer ID
 * is) separated by commas, at most carry-max; empty: none.  A peer whose
 * ID has a comma cannot be named in it.
 */
static int policy_carry(struct ksf_policy *pol, const struct nlattr *a,
			struct netlink_ext_ack *extack)
{
	const char *s = nla_data(a), *e;
	char id[KSF_PEER_ID_LEN];
	unsigned int n = 0;
	char *carry = NULL;

	for (; *s; s = *e ? e + 1 : e) {
		e = strchrnul(s, ',');
		if (e - s >= KSF_PEER_ID_LEN || ++n > KSF_CARRY_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "carry: at most carry-max (16) peer IDs, each shorter than 128 bytes");
			return -EINVAL;
		}
		memcpy(id, s, e - s);
		id[e - s] = '\0';
		if (ksf_id_check(id, e - s + 1, extack)) {
			NL_SET_BAD_ATTR(extack, a);
			return -EINVAL;
		}
	}
	if (n) {
		carry = kstrdup(nla_data(a), GFP_KERNEL_ACCOUNT);
		if (!carry)
			return -ENOMEM;
	}
	kfree(pol->carry);
	pol->carry = carry;
	return 0;
}

/* A clear flag and a list of the same kind contradict each other. */
static int check_clear(struct nlattr **tb, u32 np, u32 nt,
		       struct netlink_ext_ack *extack)
{
	if (tb[KSF_A_POLICY_NOTIFY_CLEAR] && np) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_POLICY_NOTIFY_CLEAR],
				    "notify-clear given with notify presets");
		return -EINVAL;
	}
	if (tb[KSF_A_POLICY_TIMER_CLEAR] && nt) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KSF_A_POLICY_TIMER_CLEAR],
				    "timer-clear given with timers");
		return -EINVAL;
	}
	return 0;
}

/* One of the lists: @n of @type (@len bytes), cleared, or the old one. */
static int policy_list(struct ksf_lists **slot, const struct nlattr *nest,
		       int type, u32 n, u32 len, const struct nlattr *clear,
		       struct netlink_ext_ack *extack)
{
	struct ksf_lists *ls = NULL;

	if (!n && !clear)
		return 0;
	if (n)
		ls = lists_parse(nest, type, n, len, extack);
	if (IS_ERR(ls))
		return PTR_ERR(ls);
	ksf_policy_set_lists(slot, ls);
	return 0;
}

/*
 * The new presets or timers of @pol: those of @nest if it has any
 * (replacing the old as a whole), none if cleared, else the old ones.
 */
static int policy_lists(struct ksf_policy *pol, const struct nlattr *nest,
			struct nlattr **tb, u32 plen, u32 np, u32 tlen, u32 nt,
			struct netlink_ext_ack *extack)
{
	int ret;

	ret = policy_list(&pol->presets, nest, KSF_A_POLICY_NOTIFY, np, plen,
			  tb[KSF_A_POLICY_NOTIFY_CLEAR], extack);
	return ret ?: policy_list(&pol->timers, nest, KSF_A_POLICY_TIMER, nt,
				  tlen, tb[KSF_A_POLICY_TIMER_CLEAR], extack);
}

static u32 lists_len(const struct ksf_lists *ls)
{
	return ls ? ls->len : 0;
}

/* The size bound of a policy's lists, and the clear flags' sense. */
static int check_lists(const struct nlattr *nest, struct nlattr **tb,
		       const struct ksf_policy *old, u32 *plen, u32 *np,
		       u32 *tlen, u32 *nt, struct netlink_ext_ack *extack)
{
	u32 p, t;
	int ret;

	*plen = nests_len(nest, KSF_A_POLICY_NOTIFY, np);
	*tlen = nests_len(nest, KSF_A_POLICY_TIMER, nt);
	ret = check_clear(tb, *np, *nt, extack);
	if (ret)
		return ret;
	p = *np || tb[KSF_A_POLICY_NOTIFY_CLEAR] || !old ? *plen :
							    lists_len(old->presets);
	t = *nt || tb[KSF_A_POLICY_TIMER_CLEAR] || !old ? *tlen :
							   lists_len(old->timers);
	if (p + t > KSF_POLICY_LISTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "notify presets and timers of a policy may take at most "
				    __stringify(KSF_POLICY_LISTS_MAX)
				    " bytes (policy-lists-max)");
		return -EINVAL;
	}
	return 0;
}

/*
 * Builds a policy from @nest on top of @old (or the defaults): scalar
 * attributes present replace the old values; notify presets and timers,
 * when any is present, replace the old lists as a whole, and
 * notify-clear / timer-clear empty them.  The lists are bounded so that
 * a peer with its policy fits one reply (get and dump).
 */
struct ksf_policy *ksf_nl_policy_parse(const struct nlattr *nest,
				       const struct ksf_policy *old,
				       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KSF_A_POLICY_MAX + 1] = {};
	u32 plen, tlen, np, nt;
	struct ksf_policy *pol;
	int ret;

	if (nest) {
		ret = nla_parse_nested(tb, KSF_A_POLICY_MAX, nest,
				       ksf_policy_nl_policy, extack);
		if (ret)
			return ERR_PTR(ret);
	}
	ret = check_lists(nest, tb, old, &plen, &np, &tlen, &nt, extack);
	if (ret)
		return ERR_PTR(ret);
	pol = ksf_policy_alloc(old);
	if (!pol)
		return ERR_PTR(-ENOMEM);
	policy_scalars(pol, tb);
	ret = policy_bitmaps(pol, tb, extack);
	if (!ret && tb[KSF_A_POLICY_CARRY])
		ret = policy_carry(pol, tb[KSF_A_POLICY_CARRY], extack);
	if (!ret)
		ret = policy_check(pol, nest, extack);
	if (!ret)
		ret = policy_lists(pol, nest, tb, plen, np, tlen, nt, extack);
	if (ret) {
		ksf_policy_put(pol);
		return ERR_PTR(ret);
	}
	return pol;
}

/*
 * Bytes ksf_nl_policy_fill() may put, without the policy nest's header; @pol
 * NULL: the most any policy may take.  Room is left for scalar fields
 * added later.
 */
size_t ksf_nl_policy_fill_size(const struct ksf_policy *pol)
{
	size_t lists = pol ? lists_len(pol->presets) + lists_len(pol->timers) :
			     KSF_POLICY_LISTS_MAX;

	return 4 * nla_total_size(BITMAP_WIRE_MAX) +	/* services, algs, ask */
	       4 * nla_total_size(sizeof(u32)) +	/* lengths, lifetime, batch */
	       nla_total_size(sizeof(u8)) +		/* caller-rand */
	       nla_total_size(KSF_CARRY_MAX * KSF_PEER_ID_LEN) +	/* carry */
	       256 + lists;
}

/* The presets or timers of @ls, each a nest of @type. */
static int lists_fill(struct sk_buff *skb, const struct ksf_lists *ls,
		      int type)
{
	int key = type == KSF_A_POLICY_TIMER ? KSF_A_TIMER_PERIOD :
					       KSF_A_NOTIFY_PRESET_STATUS;
	int item = type == KSF_A_POLICY_TIMER ? KSF_A_TIMER_ITEM :
						KSF_A_NOTIFY_PRESET_ITEM;
	struct nlattr *nest;
	u32 i, j;

	for (i = 0; ls && i < ls->n; i++) {
		nest = nla_nest_start(skb, type);
		if (!nest || nla_put_u32(skb, key, ls->list[i]->key))
			return -EMSGSIZE;
		for (j = 0; j < ls->list[i]->n; j++)
			if (ksf_nl_req_encode(skb, item, ls->list[i]->items[j]))
				return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

int ksf_nl_policy_fill(struct sk_buff *skb, const struct ksf_policy *pol)
{
	if (bitmap_to_nl(skb, KSF_A_POLICY_SERVICES, pol->services,
			 __KSF_SERVICE_MAX) ||
	    bitmap_to_nl(skb, KSF_A_POLICY_ALGS, pol->algs, __KSF_ALG_MAX) ||
	    ksf_nl_put_attrs(skb, policy_attrs, ARRAY_SIZE(policy_attrs), pol,
			     0, 0) ||
	    nla_put_u8(skb, KSF_A_POLICY_CALLER_RAND, pol->caller_rand) ||
	    nla_put(skb, KSF_A_POLICY_MAC_FCS, sizeof(pol->mac_fcs),
		    pol->mac_fcs) ||
	    nla_put(skb, KSF_A_POLICY_ENCRYPT_FCS, sizeof(pol->encrypt_fcs),
		    pol->encrypt_fcs) ||
	    (pol->carry && nla_put_string(skb, KSF_A_POLICY_CARRY, pol->carry)) ||
	    (!bitmap_empty(pol->ask_services, __KSF_SERVICE_MAX) &&
	     bitmap_to_nl(skb, KSF_A_POLICY_ASK_SERVICES, pol->ask_services,
			  __KSF_SERVICE_MAX)) ||
	    (!bitmap_empty(pol->ask_algs, __KSF_ALG_MAX) &&
	     bitmap_to_nl(skb, KSF_A_POLICY_ASK_ALGS, pol->ask_algs,
			  __KSF_ALG_MAX)))
		return -EMSGSIZE;
	if (lists_fill(skb, pol->presets, KSF_A_POLICY_NOTIFY) ||
	    lists_fill(skb, pol->timers, KSF_A_POLICY_TIMER))
		return -EMSGSIZE;
	return 0;
}

/*
 * ---- Negotiable terms (channel.rst "Negotiation") ----
 *
 * A pair direction, or an offer's serve, is a policy nest of the terms
 * alone: services, algs, key-len-min/max, lifetime-max, batch-max,
 * caller-rand.  An offer's ask is a policy nest of services and algs,
 * read from and into the ask fields.
 */

/* Bytes ksf_nl_terms_fill() puts, the nest's header included. */
size_t ksf_nl_terms_size(void)
{
	return nla_total_size(0) + 2 * nla_total_size(BITMAP_WIRE_MAX) +
	       TERMS_U32 * nla_total_size(sizeof(u32)) +
	       nla_total_size(sizeof(u8));
}

int ksf_nl_terms_fill(struct sk_buff *skb, int type,
		      const struct ksf_policy *pol, bool ask)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (ask) {
		if (bitmap_to_nl(skb, KSF_A_POLICY_SERVICES, pol->ask_services,
				 __KSF_SERVICE_MAX) ||
		    bitmap_to_nl(skb, KSF_A_POLICY_ALGS, pol->ask_algs,
				 __KSF_ALG_MAX))
			return -EMSGSIZE;
	} else if (bitmap_to_nl(skb, KSF_A_POLICY_SERVICES, pol->services,
				__KSF_SERVICE_MAX) ||
		   bitmap_to_nl(skb, KSF_A_POLICY_ALGS, pol->algs,
				__KSF_ALG_MAX) ||
		   ksf_nl_put_attrs(skb, policy_attrs, TERMS_U32, pol, 0, 0) ||
		   nla_put_u8(skb, KSF_A_POLICY_CALLER_RAND, pol->caller_rand)) {
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A bitmap of another instance's terms: bits of services or algs this
 * one does not know (a newer version's) are left out, not refused: no
 * intersection could keep them.
 */
static int terms_bitmap(unsigned long *map, unsigned int nbits,
			const struct nlattr *a)
{
	const u8 *p;
	int i;

	bitmap_zero(map, nbits);
	if (!a)
		return 0;
	if (nla_len(a) > BITMAP_WIRE_MAX)
		return -EPROTO;
	p = nla_data(a);
	for (i = 1; i < min_t(int, nla_len(a) * 8, nbits); i++)
		if (p[i / 8] & BIT(i % 8))
			__set_bit(i, map);
	return 0;
}

static bool terms_field(int type, bool ask)
{
	switch (type) {
	case KSF_A_POLICY_SERVICES:
	case KSF_A_POLICY_ALGS:
		return true;
	case KSF_A_POLICY_KEY_LEN_MIN:
	case KSF_A_POLICY_KEY_LEN_MAX:
	case KSF_A_POLICY_LIFETIME_MAX:
	case KSF_A_POLICY_BATCH_MAX:
	case KSF_A_POLICY_CALLER_RAND:
		return !ask;
	default:
		return false;
	}
}

/*
 * Terms from another instance (@ask: an offer's ask, into services and
 * algs), or an error with *@why: public words only.
 */
struct ksf_policy *ksf_nl_terms_parse(const struct nlattr *nest, bool ask,
				      const char **why)
{
	struct nlattr *tb[KSF_A_POLICY_MAX + 1];
	struct ksf_policy *pol;
	int i;

	*why = "malformed terms";
	if (!nest || nla_parse_nested(tb, KSF_A_POLICY_MAX, nest,
				      ksf_policy_nl_policy, NULL))
		return ERR_PTR(-EPROTO);
	for (i = 1; i <= KSF_A_POLICY_MAX; i++) {
		if (tb[i] && !terms_field(i, ask)) {
			*why = "terms carry a field that is not negotiable";
			return ERR_PTR(-EPROTO);
		}
	}
	pol = ksf_policy_alloc(NULL);
	if (!pol) {
		*why = "out of memory";
		return ERR_PTR(-ENOMEM);
	}
	ksf_nl_get_attrs(tb, policy_attrs, TERMS_U32, pol);
	if (tb[KSF_A_POLICY_CALLER_RAND])
		pol->caller_rand = nla_get_u8(tb[KSF_A_POLICY_CALLER_RAND]);
	if (terms_bitmap(pol->services, __KSF_SERVICE_MAX,
			 tb[KSF_A_POLICY_SERVICES]) ||
	    terms_bitmap(pol->algs, __KSF_ALG_MAX, tb[KSF_A_POLICY_ALGS]) ||
	    pol->key_len_min > pol->key_len_max) {
		ksf_policy_put(pol);
		return ERR_PTR(-EPROTO);
	}
	return pol;
}
