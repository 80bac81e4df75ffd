// A stable one-line text form of parsed statements, for golden tests and debugging.
// Every field that the grammar fills is shown; the format only grows at the end of a line.
#pragma once

#include <string>

#include "model/command.hpp"

namespace setkey::model {

// "L3:1-5 add src=10.0.0.1 dst=10.0.0.2[4500] proto=esp-udp spi=0x1001 ..."
std::string debug_text(const Statement& statement);
std::string debug_text(const Command& command);

} // namespace setkey::model
