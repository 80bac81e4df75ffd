#include "cli/app.hpp"

int main(int argc, char** argv) { return setkey::cli::run(argc, argv); }
