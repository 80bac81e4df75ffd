#include "cli/backend_open.hpp"

#include <cstdio>
#include <system_error>

#include "pfkey/kdebug.hpp"
#include "xfrm/backend.hpp"

namespace setkey::cli {
namespace {

std::unique_ptr<model::Backend> open_xfrm(const BackendRequest& request, std::string& error) {
    xfrm::XfrmOptions options;
    if (request.hexdump)
        options.trace = [](std::span<const uint8_t> message, bool sent) {
            if (sent) std::fputs(pfkey::hexdump_text(message).c_str(), stdout);
        };
    try {
        return xfrm::open_xfrm_backend(options);
    } catch (const std::system_error& e) {
        error = std::string("xfrm: ") + e.what();
        return nullptr;
    }
}

} // namespace

BackendOpener kernel_backend_opener(const BackendRequest& request) {
    return [request](std::string& error) -> std::unique_ptr<model::Backend> {
        switch (request.choice) {
        case BackendChoice::pfkey:
            error = "pfkey: the PF_KEY backend is not in this build yet (use --backend xfrm)";
            return nullptr;
        case BackendChoice::xfrm:
        case BackendChoice::automatic:
            return open_xfrm(request, error);
        }
        return nullptr;
    };
}

} // namespace setkey::cli
