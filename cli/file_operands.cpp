// `setkey FILE...`: files holding raw PF_KEY messages back to back are decoded and
// printed as replies would be (SA dumps for GET/DUMP, policies for SPDGET/SPDDUMP).
// No socket, no privileges.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <span>
#include <vector>

#include "cli/file_reader.hpp"
#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "output/classic.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/kdebug.hpp"

namespace setkey::cli {
namespace {

// An error reply is a line of text: on stdout as 0.8.2 printed it in classic output,
// on stderr in the machine formats so stdout stays one JSON/Prometheus stream.
void report_error_reply(int error, const std::string& where, const Options& options, Streams io) {
    if (options.output == OutputFormat::classic)
        io.out << std::strerror(error) << ".\n";
    else
        io.err << "setkey: " << where << ": " << std::strerror(error) << '\n';
}

void print_message(std::span<const uint8_t> bytes, const std::string& where, const Options& options,
                   RecordPrinter& printer, Streams io) {
    if (options.verbose) io.out << pfkey::kdebug_text(bytes) << '\n';
    const pfkey::Decoded m = pfkey::decode_message(bytes);
    if (m.header.errno_ != 0) {
        report_error_reply(m.header.errno_, where, options, io);
        return;
    }
    switch (static_cast<pfkey::MsgType>(m.header.type)) {
    case pfkey::MsgType::get:
        if (m.sa) printer.sa(*m.sa);
        break;
    case pfkey::MsgType::dump:
        if (m.sa && output::shown_in_dump(*m.sa, options.all)) printer.sa(*m.sa);
        break;
    case pfkey::MsgType::spdget:
    case pfkey::MsgType::spddump:
        if (m.policy) printer.policy(*m.policy);
        break;
    default:
        break; // other replies carry nothing setkey prints
    }
}

// A PF_KEY message starts with version 2 and holds zero bytes in its header; a script
// is printable text. Only the start is looked at: enough to tell the two apart.
bool looks_like_a_script(std::span<const uint8_t> bytes) {
    if (bytes.empty() || bytes[0] == pfkey::kVersion) return false;
    const auto head = bytes.first(std::min<size_t>(bytes.size(), 4096));
    return std::all_of(head.begin(), head.end(), [](uint8_t c) { return c >= 0x20 || std::isspace(c); });
}

std::string script_operand_error(const std::string& name, const Options& options) {
    std::string text =
        "setkey: " + name + ": a text script, not a file of PF_KEY messages; did you mean -f " + name + "?";
    if (!options.script.empty()) text += " (-f takes one script: '" + options.script + "' was given to -f)";
    return text;
}

} // namespace

int run_files(const Options& options, Streams io) {
    // Stored messages are PF_KEY replies, whatever --backend says.
    const std::unique_ptr<RecordPrinter> printer =
        make_printer({options.output, options.ports, options.show_keys, "pfkey"}, io.out);
    int status = 0;
    for (const std::string& name : options.files) {
        // Read as -f reads (every file kind, errors said, 1 GiB at most): a directory, EIO
        // or /dev/zero is an error, never a stream exception or unbounded memory.
        const ReadText file = read_file(name);
        if (file.error != 0) {
            io.err << "setkey: " << name << ": " << std::strerror(file.error) << '\n';
            status = 1;
            continue;
        }
        const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(file.text.data()), file.text.size());
        if (looks_like_a_script(bytes)) {
            io.err << script_operand_error(name, options) << '\n';
            status = 1;
            continue;
        }
        const pfkey::SplitResult split = pfkey::split_messages(bytes);
        for (size_t i = 0; i < split.messages.size(); ++i) {
            const std::string where = name + ": message " + std::to_string(i + 1);
            try {
                print_message(split.messages[i], where, options, *printer, io);
            } catch (const pfkey::DecodeError& e) {
                io.err << "setkey: " << where << ": " << e.what() << '\n';
                status = 1;
            }
        }
        if (!split.error.empty()) {
            io.err << "setkey: " << name << ": " << split.error << '\n';
            status = 1;
        }
    }
    printer->finish();
    return status;
}

} // namespace setkey::cli
