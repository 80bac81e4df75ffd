// libFuzzer target: the script parser on arbitrary bytes. Any crash, leak, sanitizer
// report or uncaught exception is a bug; parse errors are expected outcomes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "grammar/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    setkey::grammar::ParseOptions options;
    options.filename = "fuzz";
    options.resolve_names = false; // deterministic and fast: no DNS
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = setkey::grammar::parse_script(text, options);
    if (result.error) (void)result.error->render();
    for (const auto& w : result.warnings) (void)w.render();
    return 0;
}
