#include "xfrm/wire.hpp"

#include <linux/xfrm.h>

namespace setkey::xfrm::wire {

const char* attr_name(uint16_t type) {
    switch (type) {
    case XFRMA_ALG_AUTH: return "XFRMA_ALG_AUTH";
    case XFRMA_ALG_CRYPT: return "XFRMA_ALG_CRYPT";
    case XFRMA_ALG_COMP: return "XFRMA_ALG_COMP";
    case XFRMA_ENCAP: return "XFRMA_ENCAP";
    case XFRMA_TMPL: return "XFRMA_TMPL";
    case XFRMA_SA: return "XFRMA_SA";
    case XFRMA_POLICY: return "XFRMA_POLICY";
    case XFRMA_SEC_CTX: return "XFRMA_SEC_CTX";
    case XFRMA_LTIME_VAL: return "XFRMA_LTIME_VAL";
    case XFRMA_POLICY_TYPE: return "XFRMA_POLICY_TYPE";
    case XFRMA_ALG_AEAD: return "XFRMA_ALG_AEAD";
    case XFRMA_ALG_AUTH_TRUNC: return "XFRMA_ALG_AUTH_TRUNC";
    case XFRMA_REPLAY_ESN_VAL: return "XFRMA_REPLAY_ESN_VAL";
    }
    return "attribute";
}

} // namespace setkey::xfrm::wire
