#include "pfkey/change_notify.hpp"

namespace setkey::pfkey {

Bytes change_notification(const Change& c) {
    using T = MsgType;
    switch (c.type) {
    case T::add:
    case T::update:
    case T::del:
        if (!c.sa) return {};
        return encode_sa_notify(c.type, *c.sa, kSaChangeLayout, c.proxy, c.id);
    case T::expire:
        if (!c.sa) return {};
        return encode_sa_notify(T::expire, *c.sa, c.hard ? kHardExpireLayout : kSoftExpireLayout,
                                c.proxy, c.id);
    case T::flush:
        return encode_flush_notify(T::flush, c.flushed_satype, c.id);
    case T::spdadd:
    case T::spdupdate:
    case T::spddelete:
    case T::spdexpire:
        if (!c.policy) return {};
        return encode_policy_notify(c.type, *c.policy, c.id);
    case T::spdflush:
        return encode_flush_notify(T::spdflush, 0, c.id);
    case T::acquire:
        // af_key's ACQUIRE is no answer to anyone: pid 0, the larval state's seq.
        if (!c.sa || !c.policy) return {};
        return encode_acquire_notify(c.sa->satype, c.sa->src, c.sa->dst, *c.policy,
                                     {0, c.acquire_seq});
    default:
        return {};
    }
}

} // namespace setkey::pfkey
