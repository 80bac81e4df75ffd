// `-o script`: the tables as a setkey script that `setkey -f` loads back to the same
// state (issue 10). Used by make_printer.
#pragma once

#include <memory>
#include <ostream>

#include "cli/printers.hpp"
#include "cli/record_printer.hpp"

namespace setkey::cli {

std::unique_ptr<RecordPrinter> make_script_printer(std::ostream& out, const PrinterChoice& choice);

} // namespace setkey::cli
