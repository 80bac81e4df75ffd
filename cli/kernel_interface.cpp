#include "cli/kernel_interface.hpp"

namespace setkey::cli {

grammar::KernelInterface chosen_interface(BackendChoice choice) {
    switch (choice) {
    case BackendChoice::pfkey: return grammar::KernelInterface::pfkey;
    case BackendChoice::xfrm: return grammar::KernelInterface::xfrm;
    case BackendChoice::automatic: break;
    }
    return grammar::KernelInterface::unknown;
}

grammar::KernelInterface opened_interface(const model::Backend& backend) {
    // Fakes in tests name themselves otherwise; only PF_KEY restricts the language.
    return backend.name() == "pfkey" ? grammar::KernelInterface::pfkey : grammar::KernelInterface::xfrm;
}

bool refuse_beyond_pfkey(const grammar::ParseResult& checked, const model::Backend& backend, std::ostream& err) {
    if (!checked.pfkey_error || opened_interface(backend) != grammar::KernelInterface::pfkey) return false;
    err << checked.pfkey_error->render();
    return true;
}

} // namespace setkey::cli
