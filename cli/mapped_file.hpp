// A script file mapped read-only into memory: -f parses it twice without holding a
// heap copy, so memory use does not grow with the script.
#pragma once

#include <string>
#include <string_view>

namespace setkey::cli {

class MappedFile {
public:
    // Maps `path`; on failure text() is empty and error() is the errno.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    int error() const { return error_; }
    std::string_view text() const { return {data_, size_}; }

private:
    const char* data_ = nullptr;
    size_t size_ = 0;
    int error_ = 0;
};

} // namespace setkey::cli
