/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The service families, one file each: what the engine runs for an item.
 */
#ifndef _KSF_SERVICES_SERVICES_H
#define _KSF_SERVICES_SERVICES_H

#include <linux/types.h>

struct crypto_shash;
struct ksf_item;
struct ksf_key;
struct ksf_net;

#define KSF_PARAM_MAX_LEN	256
#define KSF_MAC_MAX_LEN		32
#define KSF_KDF_MAX_PARAMS	16

/* mac.c */
int ksf_mac(struct crypto_shash *tfm, const u8 *data, unsigned int len,
	    u8 *out);
void ksf_svc_mac(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);

/* kdf.c */
void ksf_svc_kdf(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);

/* aead.c */
void ksf_svc_aead(struct ksf_net *kn, struct ksf_item *it,
		  struct ksf_key *key);

/* nas.c */
void ksf_svc_nas(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
void ksf_svc_nas_context(struct ksf_net *kn, struct ksf_item *it,
			 struct ksf_key *key);
void ksf_svc_nas_protect(struct ksf_net *kn, struct ksf_item *it,
			 struct ksf_key *key);
u32 ksf_nas_count_estimate(u32 rx, u8 seq);

/* aka.c */
void ksf_svc_aka(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
void ksf_svc_hres(struct ksf_net *kn, struct ksf_item *it, struct ksf_key *key);
int ksf_hres_star(const u8 *rand, const u8 *res, u8 out[16]);

#endif /* _KSF_SERVICES_SERVICES_H */
