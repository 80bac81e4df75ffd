// The `-l` short SA listing (`setkey -D -l`): a header once, then one line per SA on
// every pass of the once-a-second loop the CLI runs.
#pragma once

#include <cstdint>
#include <string>

#include "model/record.hpp"

namespace setkey::output {

// "time p   s spi      ltime   src -> dst\n"
std::string short_header();

// e.g. "2437 esp M 00001004   2/0   fd00::1 -> fd00::2\n": minutes and seconds of
// `now`, satype, state letter, SPI, age/hard add-time, then the addresses.
std::string short_line(const model::SaRecord& sa, int64_t now);

} // namespace setkey::output
