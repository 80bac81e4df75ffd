#include "cli/app.hpp"

#include <cstdio>

namespace setkey::cli {
int run(int, char**) {
    std::fputs("setkey: not implemented yet\n", stderr);
    return 1;
}
} // namespace setkey::cli
