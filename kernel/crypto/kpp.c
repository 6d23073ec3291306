// SPDX-License-Identifier: GPL-2.0-only
/*
 * One synchronous request of a kpp transform that holds a private key:
 * with @in, the shared secret with the public key @in; without, the
 * public key of the private key.  The scatterlists point into one heap
 * buffer (never the stack), wiped after use.
 */
#include <crypto/kpp.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "kpp.h"

int ksf_kpp_run(struct crypto_kpp *tfm, const u8 *in, unsigned int in_len,
		u8 *out, unsigned int out_len)
{
	struct scatterlist src, dst;
	struct kpp_request *req;
	DECLARE_CRYPTO_WAIT(wait);
	u8 *buf;
	int ret;

	buf = kzalloc(in_len + out_len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	req = kpp_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		kfree(buf);
		return -ENOMEM;
	}
	if (in) {
		memcpy(buf, in, in_len);
		sg_init_one(&src, buf, in_len);
	}
	sg_init_one(&dst, buf + in_len, out_len);
	kpp_request_set_input(req, in ? &src : NULL, in ? in_len : 0);
	kpp_request_set_output(req, &dst, out_len);
	kpp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				 crypto_req_done, &wait);
	ret = crypto_wait_req(in ? crypto_kpp_compute_shared_secret(req) :
				   crypto_kpp_generate_public_key(req), &wait);
	if (!ret)
		memcpy(out, buf + in_len, out_len);
	kpp_request_free(req);
	kfree_sensitive(buf);
	return ret;
}
