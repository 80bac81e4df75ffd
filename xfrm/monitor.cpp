#include "xfrm/monitor.hpp"

#include <libmnl/libmnl.h>
#include <linux/ipsec.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "xfrm/socket.hpp"
#include "xfrm/wire.hpp"

namespace setkey::xfrm {
namespace {

template <class T> T read_as(std::span<const uint8_t> bytes) {
    T t;
    std::memset(&t, 0, sizeof t);
    std::memcpy(&t, bytes.data(), std::min(sizeof t, bytes.size()));
    return t;
}

template <class T> T fixed(std::span<const uint8_t> payload, const char* what) {
    if (payload.size() < sizeof(T)) throw DecodeError(std::string(what) + " is truncated");
    return read_as<T>(payload);
}

constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

// The attributes after a fixed part of `fixed_size` bytes.
std::span<const uint8_t> attrs_after(std::span<const uint8_t> payload, size_t fixed_size) {
    return payload.subspan(std::min(NLMSG_ALIGN(fixed_size), payload.size()));
}

// The payload of attribute `type`, if present; lengths are checked.
std::optional<std::span<const uint8_t>> find_attr(std::span<const uint8_t> attrs, uint16_t type) {
    std::optional<std::span<const uint8_t>> found;
    while (attrs.size() >= NLA_HDRLEN) {
        auto na = read_as<nlattr>(attrs);
        if (na.nla_len < NLA_HDRLEN || na.nla_len > attrs.size())
            throw DecodeError("event attribute length out of bounds");
        if ((na.nla_type & NLA_TYPE_MASK) == type)
            found = attrs.subspan(NLA_HDRLEN, na.nla_len - NLA_HDRLEN);
        attrs = attrs.subspan(std::min<size_t>(align4(na.nla_len), attrs.size()));
    }
    return found;
}

// A message of `type` holding `fixed_part` then `attrs`, so xfrm/codec decodes event
// payloads (POLEXPIRE's and ACQUIRE's embedded policy) exactly as it decodes dumps.
std::vector<uint8_t> rewrap(uint16_t type, const Header& h, std::span<const uint8_t> fixed_part,
                            std::span<const uint8_t> attrs) {
    std::vector<uint8_t> m(sizeof(nlmsghdr) + NLMSG_ALIGN(fixed_part.size()) + attrs.size());
    nlmsghdr nh{};
    nh.nlmsg_len = static_cast<uint32_t>(m.size());
    nh.nlmsg_type = type;
    nh.nlmsg_seq = h.seq;
    nh.nlmsg_pid = h.pid;
    std::memcpy(m.data(), &nh, sizeof nh);
    std::copy(fixed_part.begin(), fixed_part.end(), m.begin() + sizeof nh);
    std::copy(attrs.begin(), attrs.end(), m.begin() + sizeof nh + NLMSG_ALIGN(fixed_part.size()));
    return m;
}

model::IpAddress address(const xfrm_address_t& a, uint16_t family) {
    model::IpAddress r;
    r.family = family == AF_INET6 ? model::Family::inet6 : model::Family::inet;
    std::memcpy(r.bytes.data(), &a, r.size());
    return r;
}

std::optional<model::SaType> satype_of(uint8_t proto) {
    switch (proto) {
    case IPPROTO_AH: return model::SaType::ah;
    case IPPROTO_ESP: return model::SaType::esp;
    case IPPROTO_COMP: return model::SaType::ipcomp;
    }
    return std::nullopt;
}

// af_key reports the selector only when its source differs from the SA's source.
void add_selector(Event& e, const xfrm_usersa_info& p) {
    const size_t n = p.family == AF_INET6 ? 16 : 4;
    if (std::memcmp(&p.sel.saddr, &p.saddr, n) == 0) return;
    e.selector = Event::Selector{address(p.sel.saddr, p.family), p.sel.prefixlen_s, p.sel.proto};
}

void take_sa(Event& e, const Decoded& d) {
    if (auto* sa = std::get_if<model::SaRecord>(&d.body)) e.sa = *sa;
}

void take_policy(Event& e, const Decoded& d) {
    if (auto* p = std::get_if<model::PolicyRecord>(&d.body)) e.policy = *p;
}

} // namespace

Event decode_event(std::span<const uint8_t> message) {
    const Decoded d = decode_message(message); // checks the header and record lengths
    Event e;
    e.header = d.header;
    auto payload = message.subspan(sizeof(nlmsghdr), read_as<nlmsghdr>(message).nlmsg_len - sizeof(nlmsghdr));
    switch (d.header.type) {
    case XFRM_MSG_NEWSA:
    case XFRM_MSG_UPDSA:
        e.kind = d.header.type == XFRM_MSG_NEWSA ? Event::Kind::add : Event::Kind::update;
        take_sa(e, d);
        add_selector(e, fixed<xfrm_usersa_info>(payload, "xfrm_usersa_info"));
        break;
    case XFRM_MSG_EXPIRE: {
        auto x = fixed<xfrm_user_expire>(payload, "xfrm_user_expire");
        e.kind = Event::Kind::expire;
        e.hard = x.hard != 0;
        take_sa(e, d);
        add_selector(e, x.state);
        break;
    }
    case XFRM_MSG_DELSA: {
        e.kind = Event::Kind::remove;
        take_sa(e, d);
        auto attrs = attrs_after(payload, sizeof(xfrm_usersa_id));
        if (auto a = find_attr(attrs, XFRMA_SA); a && a->size() >= sizeof(xfrm_usersa_info))
            add_selector(e, read_as<xfrm_usersa_info>(*a));
        break;
    }
    case XFRM_MSG_FLUSHSA: {
        auto f = fixed<xfrm_usersa_flush>(payload, "xfrm_usersa_flush");
        e.flushed = satype_of(f.proto);
        // IPSEC_PROTO_ANY (255) flushes every protocol (flushed stays empty); another
        // protocol that is none of setkey's (`ip xfrm state flush proto 43`) flushes
        // nothing it shows, and reporting it would read as a flush of everything.
        e.kind = e.flushed || f.proto == IPSEC_PROTO_ANY ? Event::Kind::flush : Event::Kind::other;
        break;
    }
    case XFRM_MSG_NEWPOLICY:
    case XFRM_MSG_UPDPOLICY:
    case XFRM_MSG_DELPOLICY:
        e.kind = d.header.type == XFRM_MSG_NEWPOLICY   ? Event::Kind::spdadd
                 : d.header.type == XFRM_MSG_UPDPOLICY ? Event::Kind::spdupdate
                                                       : Event::Kind::spddelete;
        take_policy(e, d);
        if (!e.policy) e.kind = Event::Kind::other;
        break;
    case XFRM_MSG_POLEXPIRE: {
        auto x = fixed<xfrm_user_polexpire>(payload, "xfrm_user_polexpire");
        e.kind = Event::Kind::spdexpire;
        e.hard = x.hard != 0;
        auto inner = rewrap(XFRM_MSG_NEWPOLICY, d.header, payload.first(sizeof(xfrm_userpolicy_info)),
                            attrs_after(payload, sizeof(xfrm_user_polexpire)));
        take_policy(e, decode_message(inner));
        if (!e.policy) e.kind = Event::Kind::other;
        break;
    }
    case XFRM_MSG_FLUSHPOLICY:
        e.kind = Event::Kind::spdflush;
        if (auto a = find_attr(payload, XFRMA_POLICY_TYPE); a && a->size() >= sizeof(xfrm_userpolicy_type))
            e.ptype = read_as<xfrm_userpolicy_type>(*a).type;
        break;
    case XFRM_MSG_ACQUIRE: {
        auto a = fixed<xfrm_user_acquire>(payload, "xfrm_user_acquire");
        auto type = satype_of(a.id.proto);
        if (!type) break;
        const size_t policy_at = offsetof(xfrm_user_acquire, policy);
        auto inner = rewrap(XFRM_MSG_NEWPOLICY, d.header,
                            payload.subspan(policy_at, sizeof(xfrm_userpolicy_info)),
                            attrs_after(payload, sizeof(xfrm_user_acquire)));
        take_policy(e, decode_message(inner));
        // The SA's family: the matching tunnel template's, else the selector's.
        uint16_t family = a.sel.family;
        if (e.policy)
            for (const auto& r : e.policy->requests)
                if (r.proto == a.id.proto && r.dst) {
                    family = r.dst->addr.family == model::Family::inet6 ? AF_INET6 : AF_INET;
                    break;
                }
        model::SaRecord sa;
        sa.satype = *type;
        sa.raw_satype = static_cast<uint8_t>(*type);
        sa.src = address(a.saddr, family);
        sa.dst = address(a.id.daddr, family);
        sa.src_prefixlen = sa.dst_prefixlen = static_cast<uint8_t>(sa.src.full_prefix());
        sa.spi = ntohl(a.id.spi);
        sa.state = static_cast<uint8_t>(model::SaState::larval);
        // What the kernel will ask the key daemon for: the flow's selector, and the
        // reqid and mode of the template that wants the SA (af_key sends them too).
        sa.xfrm.selector = wire::decode_sa_selector(a.sel);
        if (e.policy)
            for (const auto& r : e.policy->requests)
                if (r.proto == a.id.proto) {
                    sa.reqid = r.reqid;
                    sa.mode = r.mode;
                    break;
                }
        e.sa = sa;
        e.acquire_seq = a.seq;
        e.kind = Event::Kind::acquire;
        break;
    }
    default:
        break;
    }
    return e;
}

EventSocket::EventSocket() : buf_(256 * 1024) {
    // Bursts (a flush of many SAs sends one event each) must not overrun us.
    nl_ = open_netlink(4 * 1024 * 1024);
    for (int group : {XFRMNLGRP_SA, XFRMNLGRP_POLICY, XFRMNLGRP_EXPIRE, XFRMNLGRP_ACQUIRE}) {
        if (mnl_socket_setsockopt(nl_, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) {
            int e = errno;
            mnl_socket_close(nl_);
            throw std::system_error(e, std::generic_category(),
                                    "cannot join the XFRM event groups (needs CAP_NET_ADMIN)");
        }
    }
}

EventSocket::~EventSocket() { mnl_socket_close(nl_); }

std::span<const uint8_t> EventSocket::receive(int& error) {
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl_, buf_.data(), buf_.size());
        if (n >= 0) {
            error = 0;
            return std::span<const uint8_t>(buf_.data(), static_cast<size_t>(n));
        }
        if (errno == EINTR) continue;
        error = errno;
        return {};
    }
}

} // namespace setkey::xfrm
