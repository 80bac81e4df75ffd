// Opening the kernel interface the user chose (--backend): a model::Backend for loads
// and dumps, an event source for -x. The choice between the two interfaces is made
// here only.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "cli/options.hpp"
#include "model/backend.hpp"

namespace setkey::cli {

class MonitorSource; // event_source.hpp

struct BackendRequest {
    BackendChoice choice = BackendChoice::automatic;
    bool verbose = false; // -v: decode every PF_KEY message sent and received
    bool hexdump = false; // -H: hex-dump every request
    bool script = false;  // -f/-c: PF_KEY registers first, as 0.8.2 does before a script
    // Where -v and -H write: stdout beside the classic text, as 0.8.2 did; stderr when
    // stdout carries a machine format (-o), which the trace would break.
    std::FILE* trace = stdout;
};

// nullptr with `error` set ("pfkey: Address family not supported by protocol").
// Injected into the modes so tests can substitute a fake backend.
using BackendOpener = std::function<std::unique_ptr<model::Backend>(std::string& error)>;

BackendOpener kernel_backend_opener(const BackendRequest& request);

// --atomic over PF_KEY: an XFRM backend for the snapshot and the restore, which see
// and re-create what PF_KEY cannot (marks, AEAD, ICV lengths, ...). It returns
// nullptr when xfrm_user is not there.
BackendOpener snapshot_backend_opener();

// -x: the event source --backend names (automatic: XFRM when its socket opens, else
// PF_KEY); `jsonl` for -o jsonl. nullptr with `error` set.
std::unique_ptr<MonitorSource> open_monitor_source(BackendChoice choice, bool jsonl,
                                                   std::string& error);

// The kernel has no af_key: suggest --backend xfrm only when XFRM would open (not as
// non-root, where it fails too, nor after automatic mode has just tried it).
std::string pfkey_missing_message(bool xfrm_would_open);

} // namespace setkey::cli
