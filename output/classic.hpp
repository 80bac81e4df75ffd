// The classic `setkey -D` / `setkey -DP` text, byte for byte as ipsec-tools 0.8.2
// prints it on Linux (trailing spaces, tabs, 32-byte key wrap, the IPComp `C:` line
// without newline, ctime-style local dates). Each function returns whole lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/record.hpp"

namespace setkey::output {

struct ClassicOptions {
    bool with_ports = false; // -p: SA addresses as addr[port], tunnel endpoints too
    int64_t now = 0;         // the dump's "current:" instant, epoch seconds (injected
                             // so tests are deterministic; the CLI passes time(nullptr))
    // TZ for the dates, as getenv gave it (null: unset). Unset here, it is read from the
    // environment for every entry; a dump's printer reads it once (getenv per entry was
    // a sixth of printing a policy).
    std::optional<const char*> tz;
};

// One SA (`-D`, script `get`/`dump`).
std::string format_sa(const model::SaRecord& sa, const ClassicOptions& options);
void append_sa(std::string& out, const model::SaRecord& sa, const ClassicOptions& options); // onto `out`

// One policy (`-DP`, script `spddump`).
std::string format_policy(const model::PolicyRecord& policy, const ClassicOptions& options);
void append_policy(std::string& out, const model::PolicyRecord& policy, const ClassicOptions& options);

// The XFRM line of an entry ("\tmark=0x00000005/0x000000ff if_id=7(0x00000007) ...\n")
// as the dumps print it, or "" for an entry without marks, if_id and output mark; -x
// over XFRM prints it under the PF_KEY rendering, which cannot carry them.
std::string xfrm_line(const model::SaRecord& sa);
std::string xfrm_line(const model::PolicyRecord& policy);

// What 0.8.2 prints when the kernel answers a dump with ENOENT.
std::string_view empty_sad_text(); // "No SAD entries.\n"
std::string_view empty_spd_text(); // "No SPD entries.\n"

// The -a rule: SA dumps hide dead SAs unless -a was given. `get` is not filtered.
bool shown_in_dump(const model::SaRecord& sa, bool show_all);

// A time as 0.8.2 prints it: ctime() without the weekday, 20 characters, local time
// (TZ applies); 0 ("never") prints as 20 spaces.
std::string classic_time(uint64_t epoch_seconds);

} // namespace setkey::output
