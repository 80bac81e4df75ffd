// One draft per statement family, made fresh when the command keyword matches (so
// nothing is reset by hand) and filled by the actions. At ';' the family's validator
// (validate.hpp) checks the draft and produces the model:: command.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/command.hpp"

namespace setkey::grammar {

enum class Cmd : uint8_t {
    add, update, getspi, get, del, deleteall, flush, dump,
    spdadd, spdupdate, spddelete, spdflush, spddump, exit
};
enum class Side : uint8_t { src, dst };

// What the two addresses of a statement name, which decides how many a host name may
// resolve to and which checks apply.
enum class AddressUse : uint8_t {
    sa_pairs,  // add, update, getspi: every source x destination pair of one family is an SA
    sa_single, // get, delete, deleteall: one address each, of one family
    selector,  // spdadd, spdupdate, spddelete: one address each; a %scope is dropped
};

// -4/-6/-n: which family, and whether names may be looked up.
enum class Lookup : bool { names, numeric_only };

// The source and destination of an SA or a policy selector, as written.
struct Endpoints {
    AddressUse use = AddressUse::sa_pairs;
    std::optional<model::Family> family;
    Lookup lookup = Lookup::names;
    std::vector<model::IpAddress> src, dst;
    const char* dst_at = nullptr;
    std::optional<uint16_t> src_port, dst_port;
    std::optional<uint8_t> src_prefix, dst_prefix;

    std::optional<uint16_t>& port(Side side) { return side == Side::src ? src_port : dst_port; }
    std::optional<uint8_t>& prefix(Side side) { return side == Side::src ? src_prefix : dst_prefix; }
    std::vector<model::IpAddress>& addresses(Side side) { return side == Side::src ? src : dst; }
};

// An -E or -A algorithm, kept until its key is read.
struct AlgorithmChoice {
    const model::Algorithm* alg = nullptr;
    std::string_view spelling; // as written (rijndael-cbc, not aes-cbc)
};

// add, update, getspi, get, delete, deleteall.
struct SaDraft {
    explicit SaDraft(Cmd command);
    Cmd cmd;
    Endpoints ends;
    model::AddSa sa; // key (protocol, SPI, -m, -u), -r, flags, lifetimes, -ctx, algorithms
    AlgorithmChoice enc, auth;
    // Where the warnings of the validator point.
    const char* mode_at = nullptr;
    const char* hard_seconds_at = nullptr;
    const char* hard_bytes_at = nullptr;
    const char* esn_at = nullptr;
};

// spdadd, spdupdate, spddelete (also with `tagged "TAG"`).
struct SpdDraft {
    explicit SpdDraft(Cmd command);
    Cmd cmd;
    Endpoints ends;
    model::SpdEntry spd;
    std::optional<std::string> tag;
    model::IpsecRequest request; // the ipsec request being read
    const char* request_at = nullptr;
};

// flush, dump (with an optional protocol), spdflush, spddump, exit.
struct RequestDraft {
    Cmd cmd;
    std::optional<model::SaType> proto;
};

using Draft = std::variant<RequestDraft, SaDraft, SpdDraft>;

// Makes `draft` the fresh draft of a command keyword (in place: once per statement).
void start_draft(Draft& draft, Cmd cmd);

} // namespace setkey::grammar
