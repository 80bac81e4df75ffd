// XFRM events for `-x`: a libmnl socket subscribed to the SA, POLICY, EXPIRE and
// ACQUIRE multicast groups, and a pure decoder from one event message to records.
// Record decoding is xfrm/codec's; this adds what events carry beyond a record (the
// SA selector, the expire kind, the flushed protocol, acquire's addresses).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/record.hpp"
#include "xfrm/codec.hpp"

struct mnl_socket;

namespace setkey::xfrm {

struct Event {
    enum class Kind {
        add, update, remove, expire, flush, // SA events
        spdadd, spdupdate, spddelete, spdexpire, spdflush,
        acquire,
        other, // anything else the groups carry (REPORT, NEWAE, MAPPING, sub policies, ...)
    };
    Kind kind = Kind::other;
    Header header;
    bool hard = false;                         // expire / spdexpire: hard limit reached
    std::optional<model::SaRecord> sa;         // SA events; acquire: proto, src, dst, spi
    std::optional<model::PolicyRecord> policy; // policy events; acquire: the policy
    // SA events: the SA selector's source (ADDRESS_PROXY over PF_KEY).
    struct Selector {
        model::IpAddress addr;
        uint8_t prefixlen = 0;
        uint8_t proto = 0;
    };
    std::optional<Selector> selector;
    std::optional<model::SaType> flushed; // flush: nullopt = every IPsec protocol
    uint8_t ptype = 0;                    // spdflush: the policy type flushed (XFRM_POLICY_TYPE_*)
    uint32_t acquire_seq = 0;             // acquire: the larval state's sequence number
};

// Decodes one netlink message of an event datagram. Throws DecodeError on bad lengths.
Event decode_event(std::span<const uint8_t> message);

// Where raw event datagrams come from; tests substitute recorded ones.
class EventSource {
public:
    virtual ~EventSource() = default;
    // Blocks for the next datagram. Returns its bytes, or sets `error` (positive errno;
    // ENOBUFS: the kernel dropped events for us) and returns {}.
    virtual std::span<const uint8_t> receive(int& error) = 0;
};

class EventSocket final : public EventSource {
public:
    // Opens NETLINK_XFRM and joins XFRMNLGRP_SA, POLICY, EXPIRE and ACQUIRE (needs
    // CAP_NET_ADMIN in the network namespace). Throws std::system_error.
    EventSocket();
    ~EventSocket() override;
    EventSocket(const EventSocket&) = delete;
    EventSocket& operator=(const EventSocket&) = delete;

    std::span<const uint8_t> receive(int& error) override;

private:
    mnl_socket* nl_ = nullptr;
    std::vector<uint8_t> buf_;
};

} // namespace setkey::xfrm
