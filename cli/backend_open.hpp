// Opening the kernel interface the user chose (--backend).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cli/options.hpp"
#include "model/backend.hpp"

namespace setkey::cli {

struct BackendRequest {
    BackendChoice choice = BackendChoice::automatic;
    bool verbose = false; // -v: decode every PF_KEY message sent and received
    bool hexdump = false; // -H: hex-dump every request
    bool script = false;  // -f/-c: PF_KEY registers first, as 0.8.2 does before a script
};

// nullptr with `error` set ("pfkey: Address family not supported by protocol").
// Injected into the modes so tests can substitute a fake backend.
using BackendOpener = std::function<std::unique_ptr<model::Backend>(std::string& error)>;

BackendOpener kernel_backend_opener(const BackendRequest& request);

// The kernel has no af_key: suggest --backend xfrm only when XFRM would open (not as
// non-root, where it fails too, nor after automatic mode has just tried it).
std::string pfkey_missing_message(bool xfrm_would_open);

} // namespace setkey::cli
