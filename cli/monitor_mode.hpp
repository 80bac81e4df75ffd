// -x over either backend. Classic output renders every event as the PF_KEY message
// 0.8.2 would have printed (over XFRM: re-encoded by pfkey/event_encode); `-o jsonl`
// prints one JSON event per line (output/event.hpp). `-o json` is refused: a single
// document cannot hold an endless stream.
#pragma once

#include <ctime>
#include <functional>

#include "cli/modes.hpp"
#include "xfrm/monitor.hpp"

namespace setkey::cli {

// -x over XFRM: prints each event from `events` until receiving fails (exit 2) or
// stdout refuses one (exit 4, as run_monitor does).
int run_xfrm_monitor(const Options& options, Streams io, xfrm::EventSource& events,
                     const std::function<timespec()>& clock);

// The whole -x mode: checks -o, opens the backend --backend names (auto: XFRM when its
// socket opens, else PF_KEY) and monitors until SIGINT (exit 130) or SIGTERM (exit 0).
int run_monitor_mode(const Options& options, Streams io);

} // namespace setkey::cli
