// Parses a script with the streaming parse_script overload (as `setkey -n -f` does) and
// prints throughput and peak RSS. Usage: bench_parse FILE [REPEAT]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "bench/script_file.hpp"
#include "grammar/parse.hpp"

int main(int argc, char** argv) {
    const auto args = setkey::bench::script_args(argc, argv, 1);
    if (!args) return 1;
    const std::string& text = args->text;
    const int repeat = args->repeat;

    setkey::grammar::ParseOptions options;
    options.filename = argv[1];
    options.resolve_names = false;
    size_t statements = 0;
    double best = 1e9;
    for (int i = 0; i < repeat; ++i) {
        statements = 0;
        auto start = std::chrono::steady_clock::now();
        auto result = setkey::grammar::parse_script(text, options, [&](setkey::model::Statement&&) {
            ++statements;
            return true;
        });
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (result.error) {
            std::fputs(result.error->render().c_str(), stderr);
            return 1;
        }
        best = std::min(best, s);
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("%zu statements, %.1f MB in %.4f s (best of %d): %.0f statements/s, %.1f MB/s; peak RSS %.1f MiB\n",
                statements, double(text.size()) / 1e6, best, repeat, double(statements) / best,
                double(text.size()) / 1e6 / best, double(ru.ru_maxrss) / 1024.0);
    return 0;
}
