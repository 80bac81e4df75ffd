#include "cli/backend_open.hpp"

namespace setkey::cli {

BackendOpener kernel_backend_opener(const BackendRequest& request) {
    return [request](std::string& error) -> std::unique_ptr<model::Backend> {
        switch (request.choice) {
        case BackendChoice::pfkey:
            error = "pfkey: the PF_KEY backend is not in this build yet";
            break;
        case BackendChoice::xfrm:
            error = "xfrm: the XFRM backend is not in this build yet";
            break;
        case BackendChoice::automatic:
            error = "no kernel backend in this build yet (neither XFRM nor PF_KEY)";
            break;
        }
        return nullptr;
    };
}

} // namespace setkey::cli
