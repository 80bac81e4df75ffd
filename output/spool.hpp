// Text that must be printed later, in another order than it is made (Prometheus
// groups samples by family), without holding a whole table in memory: up to a small
// bound it stays in memory, beyond it moves to an unnamed temporary file.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace setkey::output {

class Spool {
public:
    // Spill to a file once this much is held (keeps a table's families a few MiB).
    static constexpr size_t kMemoryLimit = 256 * 1024;

    Spool() = default;
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;
    Spool(Spool&& other) noexcept;
    Spool& operator=(Spool&& other) noexcept;
    ~Spool();

    void append(std::string_view text);
    // Writes everything appended so far, in order; a file that cannot be read back
    // sets badbit on `out` so the caller's checked stream reports it.
    void write_to(std::ostream& out) const;
    void clear();
    bool empty() const { return memory_.empty() && file_bytes_ == 0; }

private:
    void spill();
    std::string memory_;
    int fd_ = -1;            // the temporary file, once made
    size_t file_bytes_ = 0;  // bytes in it
    bool file_failed_ = false; // no file could be made or written: stay in memory
};

} // namespace setkey::output
