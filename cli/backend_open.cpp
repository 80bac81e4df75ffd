#include "cli/backend_open.hpp"

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "pfkey/backend.hpp"
#include "pfkey/kdebug.hpp"
#include "xfrm/backend.hpp"

namespace setkey::cli {
namespace {

// -v decodes PF_KEY messages the way kdebug_sadb did; -H hex-dumps requests.
std::function<void(std::span<const uint8_t>, bool)> pfkey_trace(const BackendRequest& request) {
    if (!request.verbose && !request.hexdump) return nullptr;
    return [request](std::span<const uint8_t> message, bool sent) {
        if (request.hexdump && sent) std::fputs(pfkey::hexdump_text(message).c_str(), stdout);
        if (request.verbose) std::printf("%s\n", pfkey::kdebug_text(message).c_str());
    };
}

// Netlink messages have no kdebug decode; -v and -H show them as hex.
std::function<void(std::span<const uint8_t>, bool)> xfrm_trace(const BackendRequest& request) {
    if (!request.verbose && !request.hexdump) return nullptr;
    return [request](std::span<const uint8_t> message, bool sent) {
        if (sent || request.verbose) std::fputs(pfkey::hexdump_text(message).c_str(), stdout);
        if (request.verbose) std::fputc('\n', stdout);
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
    return [request](std::string& error) -> std::unique_ptr<model::Backend> {
        switch (request.choice) {
        case BackendChoice::pfkey:
            return open_pfkey(request, error, false);
        case BackendChoice::xfrm:
            return open_xfrm(request, error);
        case BackendChoice::automatic:
            break;
        }
        // XFRM when its socket opens; PF_KEY otherwise (a kernel without xfrm_user).
        std::string xfrm_error;
        if (auto backend = open_xfrm(request, xfrm_error)) return backend;
        if (auto backend = open_pfkey(request, error, true)) return backend;
        error = xfrm_error + "; " + error;
        return nullptr;
    };
}

} // namespace setkey::cli
