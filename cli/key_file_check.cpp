#include "cli/key_file_check.hpp"

#include <sys/stat.h>

namespace setkey::cli {

bool has_key_material(const model::Statement& statement) {
    const auto* add = std::get_if<model::AddSa>(&statement.command);
    if (!add) return false;
    return (add->enc && !add->enc->key.empty()) || (add->auth && !add->auth->key.empty());
}

bool readable_by_others(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false;
    return (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}

void warn_key_file(std::ostream& err, const std::string& path) {
    err << "setkey: warning: " << path
        << " holds key material and is readable by group or others; chmod 600 " << path << '\n';
}

} // namespace setkey::cli
