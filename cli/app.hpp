#pragma once

namespace setkey::cli {
// The whole program: parse argv, run the chosen mode, return the exit status.
int run(int argc, char** argv);
} // namespace setkey::cli
