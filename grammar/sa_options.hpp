// The SA options (-m, -u, -r, -f, -lh, ...): one row each. The row gives the grammar
// its alternative (rules::sa_option<I>), the "expected ..." text of its value, its
// place in the option list of the `;` messages, and the check that stores its value.
// A new option is one row here and one store function in sa_options.cpp.
#pragma once

#include <cstddef>
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
};

// Checks a decimal value (digits.data() is where errors point) and stores it.
using StoreDecimal = void (*)(SaDraft&, std::string_view digits);
void store_reqid(SaDraft&, std::string_view);
void store_replay(SaDraft&, std::string_view);
void store_hard_seconds(SaDraft&, std::string_view);
void store_soft_seconds(SaDraft&, std::string_view);
void store_hard_bytes(SaDraft&, std::string_view);
void store_soft_bytes(SaDraft&, std::string_view);
void store_esp_frag(SaDraft&, std::string_view);

struct SaOption {
    OptionValue value;
    const char* expected;       // when the value is missing
    StoreDecimal store = nullptr; // OptionValue::decimal only
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
    {"-r", {OptionValue::decimal, "expected a replay window size (decimal number)", store_replay}},
    {"-f", {OptionValue::sa_flag, kExpectedFlag.data()}},
    {"-lh", {OptionValue::decimal, "expected a number of seconds", store_hard_seconds}},
    {"-ls", {OptionValue::decimal, "expected a number of seconds", store_soft_seconds}},
    {"-bh", {OptionValue::decimal, "expected a number of bytes", store_hard_bytes}},
    {"-bs", {OptionValue::decimal, "expected a number of bytes", store_soft_bytes}},
    {"-ctx", {OptionValue::security_context, kCannotFail}},
    // NetBSD's; left out of the lists as 0.8.2 does not know it.
    {"-esp_frag", {OptionValue::decimal, "expected an ESP fragment size (decimal number)", store_esp_frag},
     Listing::hidden},
};

// Policies take the same -ctx.
inline constexpr std::size_t kCtxOptionRow = 8;
static_assert(kSaOptions[kCtxOptionRow].value.value == OptionValue::security_context);

// The `;` messages list the options: add also takes the algorithms, getspi does not.
inline constexpr std::string_view kExpectOptionHead = "expected an option (";
inline constexpr std::string_view kAddTail = "), an algorithm (", kGetspiTail = ") or ';'", kAlgorithmTail = ") or ';'";
inline constexpr auto& kExpectedAddEnd =
    message_text<text_part<kExpectOptionHead>, words_part<kSaOptions, Joiner::commas>, text_part<kAddTail>,
                 words_part<kAlgorithmOptions, Joiner::commas>, text_part<kAlgorithmTail>>;
inline constexpr auto& kExpectedGetspiEnd = list_message<kExpectOptionHead, kSaOptions, Joiner::commas, kGetspiTail>;

} // namespace setkey::grammar

namespace setkey::grammar {

// -ctx DOI ALG "string", for an SA or a policy selector.
void take_ctx_doi(std::optional<model::SecurityContext>& ctx, std::string_view digits);
void take_ctx_alg(std::optional<model::SecurityContext>& ctx, std::string_view digits);
void take_ctx_string(std::optional<model::SecurityContext>& ctx, std::string_view quoted);

} // namespace setkey::grammar
