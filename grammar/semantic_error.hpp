// Exceptions that actions throw. The control class (parse.cpp) turns semantic_error into
// a pegtl::parse_error at the offending token; stop_parsing ends the parse successfully
// (after `exit;`, or when the statement sink asks to stop).
#pragma once

#include <stdexcept>
#include <string>

namespace setkey::grammar {

struct semantic_error : std::runtime_error {
    const char* at; // start of the offending text; nullptr = where the action's match begins
    explicit semantic_error(const std::string& message, const char* where = nullptr)
        : std::runtime_error(message), at(where) {}
};

struct stop_parsing {};

} // namespace setkey::grammar
