#include "cli/kernel_interface.hpp"

#include "cli/file_reader.hpp"

namespace setkey::cli {

grammar::KernelInterface chosen_interface(BackendChoice choice) {
    switch (choice) {
    case BackendChoice::pfkey: return grammar::KernelInterface::pfkey;
    case BackendChoice::xfrm: return grammar::KernelInterface::xfrm;
    case BackendChoice::automatic: break;
    }
    return grammar::KernelInterface::unknown;
}

std::optional<bool> kernel_keeps_security_contexts(const std::string& proc, const std::string& sys) {
    const ReadText lsm = read_file(sys + "/kernel/security/lsm"); // "lockdown,capability,selinux"
    if (lsm.error == 0 && !lsm.text.empty()) {
        std::string list = "," + lsm.text + ",";
        std::erase(list, '\n');
        return list.find(",selinux,") != std::string::npos;
    }
    const ReadText filesystems = read_file(proc + "/filesystems"); // "nodev\tselinuxfs" lines
    if (filesystems.error != 0 || filesystems.text.empty()) return std::nullopt;
    return filesystems.text.find("\tselinuxfs\n") != std::string::npos;
}

bool kernel_drops_security_contexts() {
    static const bool drops = kernel_keeps_security_contexts() == false;
    return drops;
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
