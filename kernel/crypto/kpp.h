/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One synchronous request of a key-agreement (kpp) transform.
 */
#ifndef _KSF_CRYPTO_KPP_H
#define _KSF_CRYPTO_KPP_H

#include <linux/types.h>

struct crypto_kpp;

int ksf_kpp_run(struct crypto_kpp *tfm, const u8 *in, unsigned int in_len,
		u8 *out, unsigned int out_len);

#endif /* _KSF_CRYPTO_KPP_H */
