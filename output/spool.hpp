// Text that must be printed later, in another order than it is made (Prometheus
// groups samples by family, -o script writes a dump oldest first), without holding a
// whole table in memory: up to a small bound it stays in memory, beyond it moves to an
// unnamed temporary file.
#pragma once

#include <cstddef>
#include <functional>
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
    size_t size() const { return file_bytes_ + memory_.size(); }

    // Bytes [at, at + n) of what was appended; false if the file cannot be read back.
    bool read(size_t at, size_t n, std::string& out) const;

    // Records: each appended as its text and then its length, so that they can be
    // written last first with no index held in memory.
    void append_record(std::string_view text);
    // Gives `each` every record, the last appended first; false if the file could not
    // be read back (the records from there on are not given).
    bool records_reversed(const std::function<void(std::string_view)>& each) const;

private:
    void spill();
    std::string memory_;
    int fd_ = -1;            // the temporary file, once made
    size_t file_bytes_ = 0;  // bytes in it
    bool file_failed_ = false; // no file could be made or written: stay in memory
};

} // namespace setkey::output
