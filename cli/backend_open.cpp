#include "cli/backend_open.hpp"

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "cli/pfkey_events.hpp"
#include "cli/xfrm_events.hpp"
#include "pfkey/backend.hpp"
#include "pfkey/kdebug.hpp"
#include "xfrm/backend.hpp"

namespace setkey::cli {
namespace {

template <class T> using Open = std::function<std::unique_ptr<T>(std::string& error)>;
// `after_xfrm`: automatic mode tried XFRM first and it failed.
template <class T>
using OpenPfkey = std::function<std::unique_ptr<T>(std::string& error, bool after_xfrm)>;

// --backend: the interface named, or (automatic) XFRM when its socket opens and PF_KEY
// otherwise (a kernel without xfrm_user); the error then names both failures.
template <class T>
std::unique_ptr<T> open_chosen(BackendChoice choice, std::string& error, const Open<T>& xfrm,
                               const OpenPfkey<T>& pfkey) {
    switch (choice) {
    case BackendChoice::pfkey:
        return pfkey(error, false);
    case BackendChoice::xfrm:
        return xfrm(error);
    case BackendChoice::automatic:
        break;
    }
    std::string xfrm_error;
    if (auto opened = xfrm(xfrm_error)) return opened;
    if (auto opened = pfkey(error, true)) return opened;
    error = xfrm_error + "; " + error;
    return nullptr;
}

// -v decodes PF_KEY messages the way kdebug_sadb did; -H hex-dumps requests.
std::function<void(std::span<const uint8_t>, bool)> pfkey_trace(const BackendRequest& request) {
    if (!request.verbose && !request.hexdump) return nullptr;
    return [request](std::span<const uint8_t> message, bool sent) {
        if (request.hexdump && sent) std::fputs(pfkey::hexdump_text(message).c_str(), request.trace);
        if (request.verbose) std::fprintf(request.trace, "%s\n", pfkey::kdebug_text(message).c_str());
    };
}

// Netlink messages have no kdebug decode; -v and -H show them as hex.
std::function<void(std::span<const uint8_t>, bool)> xfrm_trace(const BackendRequest& request) {
    if (!request.verbose && !request.hexdump) return nullptr;
    return [request](std::span<const uint8_t> message, bool sent) {
        if (sent || request.verbose) std::fputs(pfkey::hexdump_text(message).c_str(), request.trace);
        if (request.verbose) std::fputc('\n', request.trace);
    };
}

std::unique_ptr<model::Backend> open_xfrm(const BackendRequest& request, std::string& error) {
    xfrm::XfrmOptions options;
    options.trace = xfrm_trace(request);
    try {
        return xfrm::open_xfrm_backend(options);
    } catch (const std::system_error& e) {
        error = std::string("xfrm: ") + e.what();
        return nullptr;
    }
}

bool xfrm_opens() {
    std::string ignored;
    return open_xfrm({}, ignored) != nullptr;
}

// `xfrm_failed`: automatic mode already tried XFRM, so the hint cannot point there.
std::unique_ptr<model::Backend> open_pfkey(const BackendRequest& request, std::string& error, bool xfrm_failed) {
    pfkey::PfkeyOptions options;
    options.trace = pfkey_trace(request);
    options.register_at_open = request.script;
    try {
        return pfkey::open_pfkey_backend(options);
    } catch (const pfkey::OpenError& e) {
        const bool no_af_key = e.error == EAFNOSUPPORT || e.error == EPROTONOSUPPORT;
        error = no_af_key ? pfkey_missing_message(!xfrm_failed && xfrm_opens()) : e.what();
        return nullptr;
    }
}

} // namespace

std::string pfkey_missing_message(bool xfrm_would_open) {
    return std::string("pfkey: this kernel has no PF_KEY (af_key); try `modprobe af_key`") +
           (xfrm_would_open ? " or --backend xfrm" : "");
}

BackendOpener kernel_backend_opener(const BackendRequest& request) {
    return [request](std::string& error) {
        return open_chosen<model::Backend>(
            request.choice, error, [&](std::string& e) { return open_xfrm(request, e); },
            [&](std::string& e, bool after_xfrm) { return open_pfkey(request, e, after_xfrm); });
    };
}

BackendOpener snapshot_backend_opener() {
    return [](std::string& error) { return open_xfrm({}, error); };
}

std::unique_ptr<MonitorSource> open_monitor_source(BackendChoice choice, bool jsonl,
                                                   std::string& error) {
    return open_chosen<MonitorSource>(
        choice, error,
        [&](std::string& e) -> std::unique_ptr<MonitorSource> {
            try {
                return std::make_unique<XfrmEvents>(std::make_unique<xfrm::EventSocket>(), jsonl);
            } catch (const std::system_error& x) {
                e = std::string("xfrm: ") + x.what();
                return nullptr;
            }
        },
        [&](std::string& e, bool) -> std::unique_ptr<MonitorSource> {
            try {
                return std::make_unique<PfkeyEvents>(std::make_unique<pfkey::Socket>(), jsonl);
            } catch (const pfkey::OpenError& x) {
                e = x.what(); // its own hint: -x has no af_key check of its own
                return nullptr;
            }
        });
}

} // namespace setkey::cli
