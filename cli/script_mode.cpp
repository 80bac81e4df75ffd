// -f FILE in two passes: the first parses and validates everything (the statements
// are dropped as they come, so memory does not grow with the script); only when it
// succeeds is the backend opened and the script parsed again and applied.
#include <cstring>
#include <iterator>
#include <optional>
#include <string>

#include "cli/executor.hpp"
#include "cli/mapped_file.hpp"
#include "cli/pipeline.hpp"
#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "grammar/parse.hpp"

namespace setkey::cli {
namespace {

bool is_exit(const model::Statement& s) { return std::holds_alternative<model::Exit>(s.command); }

} // namespace

int run_script(const Options& options, Streams io, const BackendOpener& open) {
    // A file is mapped, not copied; stdin has to be kept for the second pass.
    std::optional<MappedFile> mapped;
    std::string piped;
    std::string_view text;
    if (options.script == "-") {
        piped.assign(std::istreambuf_iterator<char>(io.in), {});
        text = piped;
    } else {
        mapped.emplace(options.script);
        if (mapped->error() != 0) {
            io.err << "setkey: " << options.script << ": " << std::strerror(mapped->error()) << '\n';
            return 1;
        }
        text = mapped->text();
    }
    grammar::ParseOptions parse_options;
    parse_options.filename = options.script;

    const grammar::ParseResult checked = grammar::parse_script(
        text, parse_options, [](model::Statement&& s) { return !is_exit(s); });
    for (const grammar::Diagnostic& w : checked.warnings) io.err << w.render();
    if (checked.error) {
        io.err << checked.error->render();
        return 1;
    }
    if (options.dry_run) return 0;

    std::string error;
    std::unique_ptr<model::Backend> backend = open(error);
    if (!backend) {
        io.err << "setkey: " << error << '\n';
        return 2;
    }
    const std::unique_ptr<RecordPrinter> printer = make_printer(
        {options.output, options.ports, options.show_keys, backend->name()}, io.out);
    Executor executor(*backend, *printer,
                      {.fwd_companion = options.fwd_companion,
                       .show_dead = options.all,
                       .compat_exit = options.compat_exit},
                      io.out, io.err);
    const std::unique_ptr<Pipeline> pipeline = pipeline_for(*backend);
    if (pipeline) executor.use_pipeline(*pipeline);
    const grammar::ParseResult applied =
        grammar::parse_script(text, parse_options, [&](model::Statement&& s) {
            return executor.run(s, options.script) == Executor::Next::go_on;
        });
    executor.finish();
    printer->finish();
    if (applied.error) {
        // Only possible when name resolution changed between the passes.
        io.err << applied.error->render();
        return 1;
    }
    return executor.exit_status();
}

} // namespace setkey::cli
