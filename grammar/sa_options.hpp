// The SA options (-m, -u, -r, -f, -lh, ...): one row each. The row gives the grammar
// its alternative (rules::sa_option<I>), the "expected ..." text of its value, its
// place in the option list of the `;` messages, and the check that stores its value.
// A new option is one row here and one store function in sa_options.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "grammar/drafts.hpp"
#include "grammar/keyword_table.hpp"
#include "grammar/keywords.hpp"

namespace setkey::grammar {

// What follows the option word.
enum class OptionValue : uint8_t {
    decimal,          // a number, handed to the row's store function
    sa_mode,          // a word of kSaModes
    sa_flag,          // a word of kSaFlags
    security_context, // DOI ALG "string"
    number32,         // a 32-bit number, decimal or 0x hex, handed to the store function
    mark,             // VALUE[/MASK], each decimal or 0x hex, handed to the store function
};

// The values a row's store function takes (modes, flags and contexts have their own actions).
constexpr bool stored_value(OptionValue v) {
    return v == OptionValue::decimal || v == OptionValue::number32 || v == OptionValue::mark;
}

struct ParseState;
class ParseContext;

// Checks a value (text.data() is where errors point) and stores it.
using StoreValue = void (*)(ParseState&, std::string_view text);
void store_reqid(ParseState&, std::string_view);
void store_replay(ParseState&, std::string_view);
void store_hard_seconds(ParseState&, std::string_view);
void store_soft_seconds(ParseState&, std::string_view);
void store_hard_bytes(ParseState&, std::string_view);
void store_soft_bytes(ParseState&, std::string_view);
void store_esp_frag(ParseState&, std::string_view);
void store_mark(ParseState&, std::string_view);
void store_if_id(ParseState&, std::string_view);
void store_output_mark(ParseState&, std::string_view);

inline constexpr uint32_t kNoPfkeyLimit = UINT32_MAX;

struct SaOption {
    OptionValue value;
    const char* expected;         // when the value is missing
    StoreValue store = nullptr;   // decimal, number32 and mark values
    // XFRM-only: what PF_KEY lacks. Over PF_KEY the option is then an error at its word
    // or, with a pfkey_max, a value above pfkey_max is an error at the value.
    const char* beyond_pfkey = nullptr;
    uint32_t pfkey_max = kNoPfkeyLimit;
};

inline constexpr std::string_view kExpectModeHead = "expected a mode (", kCloseParen = ")";
inline constexpr std::string_view kExpectHead = "expected ", kNothing = "";
inline constexpr auto& kExpectedMode = list_message<kExpectModeHead, kSaModes, Joiner::last_or, kCloseParen>;
inline constexpr auto& kExpectedFlag = list_message<kExpectHead, kSaFlags, Joiner::last_or, kNothing>;
// The message of rules that cannot fail (PEGTL 3.2.7 still wants one under must<>),
// such as -ctx's value, whose parts report their own (errors.hpp).
inline constexpr const char* kCannotFail = "internal error: this rule cannot fail";

inline constexpr Keyword<SaOption> kSaOptions[] = {
    {"-m", {OptionValue::sa_mode, kExpectedMode.data()}},
    {"-u", {OptionValue::decimal, "expected a reqid (decimal number)", store_reqid}},
    // XFRM's ESN replay state takes 32-bit windows; PF_KEY's sadb_sa_replay is 8 bits.
    {"-r", {OptionValue::decimal, "expected a replay window size (decimal number)", store_replay,
            "PF_KEY's replay window has 8 bits (at most 255)", 255}},
    {"-f", {OptionValue::sa_flag, kExpectedFlag.data()}},
    {"-lh", {OptionValue::decimal, "expected a number of seconds", store_hard_seconds}},
    {"-ls", {OptionValue::decimal, "expected a number of seconds", store_soft_seconds}},
    {"-bh", {OptionValue::decimal, "expected a number of bytes", store_hard_bytes}},
    {"-bs", {OptionValue::decimal, "expected a number of bytes", store_soft_bytes}},
    {"-ctx", {OptionValue::security_context, kCannotFail}},
    // Our extensions for XFRM (route-based VPNs, IKE daemons' state); ip-xfrm's
    // `mark V mask M`, `if_id N` and `output-mark V mask M`.
    {"-mark", {OptionValue::mark, "expected a mark: VALUE or VALUE/MASK (decimal or 0x hex)", store_mark,
               "PF_KEY has no marks"}},
    {"-if_id", {OptionValue::number32, "expected an interface id (decimal or 0x hex)", store_if_id,
                "PF_KEY has no interface ids"}},
    {"-output_mark", {OptionValue::mark, "expected an output mark: VALUE or VALUE/MASK (decimal or 0x hex)",
                      store_output_mark, "PF_KEY has no output marks"}},
    // NetBSD's; left out of the lists as 0.8.2 does not know it.
    {"-esp_frag", {OptionValue::decimal, "expected an ESP fragment size (decimal number)", store_esp_frag},
     Listing::hidden},
};

// Policies take the same -ctx, -mark and -if_id; deleteall takes -mark; -f's words
// name their option in messages.
inline constexpr std::size_t kFlagOptionRow = 3, kCtxOptionRow = 8, kMarkOptionRow = 9, kIfIdOptionRow = 10;
static_assert(kSaOptions[kFlagOptionRow].value.value == OptionValue::sa_flag);
static_assert(kSaOptions[kCtxOptionRow].value.value == OptionValue::security_context);
static_assert(kSaOptions[kMarkOptionRow].word == "-mark");
static_assert(kSaOptions[kIfIdOptionRow].word == "-if_id");

// The `;` messages list the options: add also takes the algorithms, getspi does not.
inline constexpr std::string_view kExpectOptionHead = "expected an option (";
inline constexpr std::string_view kAddTail = "), an algorithm (", kGetspiTail = ") or ';'", kAlgorithmTail = ") or ';'";
inline constexpr auto& kExpectedAddEnd =
    message_text<text_part<kExpectOptionHead>, words_part<kSaOptions, Joiner::commas>, text_part<kAddTail>,
                 words_part<kAlgorithmOptions, Joiner::commas>, text_part<kAlgorithmTail>>;
inline constexpr auto& kExpectedGetspiEnd = list_message<kExpectOptionHead, kSaOptions, Joiner::commas, kGetspiTail>;

// The options of a policy (after the upper-layer protocol) and of deleteall.
inline constexpr std::size_t kPolicyOptionRows[] = {kCtxOptionRow, kMarkOptionRow, kIfIdOptionRow};
inline constexpr std::size_t kDeleteallOptionRows[] = {kMarkOptionRow};
inline constexpr std::string_view kPolicyTail = ") or the policy: -P DIRECTION [ACTION ...]";
inline constexpr auto& kExpectedSpdPolicy =
    message_text<text_part<kExpectOptionHead>, rows_part<kSaOptions, kPolicyOptionRows, Joiner::commas>,
                 text_part<kPolicyTail>>;
inline constexpr std::string_view kDeleteallTail = " or ';' (deleteall takes no port, SPI or other options)";
inline constexpr auto& kExpectedDeleteallEnd =
    message_text<text_part<kExpectHead>, rows_part<kSaOptions, kDeleteallOptionRows, Joiner::commas>,
                 text_part<kDeleteallTail>>;

} // namespace setkey::grammar

namespace setkey::grammar {

// An option word was read: over PF_KEY, an XFRM-only one is an error here.
void take_option_word(ParseState&, const Keyword<SaOption>& row, const char* at);
// Its value: stored by the row's function, then held against PF_KEY's limit.
void take_option_value(ParseState&, const Keyword<SaOption>& row, std::string_view text);
// A -f word: its effect, and over PF_KEY an error if only XFRM has it.
void take_flag(ParseState&, const Keyword<SaFlag>& row, const char* at);

// -ctx DOI ALG "string", for an SA or a policy selector.
void take_ctx_doi(std::optional<model::SecurityContext>& ctx, std::string_view digits);
void take_ctx_alg(std::optional<model::SecurityContext>& ctx, std::string_view digits);
void take_ctx_string(ParseContext& pc, std::optional<model::SecurityContext>& ctx, std::string_view quoted);

} // namespace setkey::grammar
