// -x reads kernel events through one of these per backend (pfkey_events.hpp,
// xfrm_events.hpp); monitor_mode.cpp runs the loop and prints.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string_view>

#include "cli/modes.hpp"
#include "output/event.hpp"

namespace setkey::cli {

// Prints one event: as the PF_KEY message 0.8.2 decoded (classic), or as JSON.
class EventPrinter {
public:
    virtual ~EventPrinter() = default;
    // An empty message prints the timestamp line alone. `xfrm_line`: what PF_KEY cannot
    // say of an XFRM event's entry (output::xfrm_line), printed under the message.
    virtual void classic(std::span<const uint8_t> pfkey_message, std::string_view xfrm_line) = 0;
    // The printer fills in the time and the backend.
    virtual void json(output::Event event) = 0;
};

class MonitorSource {
public:
    virtual ~MonitorSource() = default;
    virtual std::string_view backend() const = 0;    // "pfkey" or "xfrm", as JSON names it
    virtual std::string_view listens_to() const = 0; // for -v: "PF_KEY messages", ...
    // What the socket needs before events flow. 0, or the exit status after saying why.
    virtual int start(const Options&, Streams) { return 0; }
    // Blocks until the kernel sent something. 0, or the exit status after saying why.
    virtual int wait(std::ostream& err) = 0;
    // Hands each event of what wait() received to `print`; malformed ones are reported
    // on `err` and skipped.
    virtual void show(std::ostream& err, EventPrinter& print) = 0;
};

} // namespace setkey::cli
