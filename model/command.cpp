#include "model/command.hpp"

namespace setkey::model {
namespace {
template <class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;
} // namespace

std::string_view command_name(const Command& c) {
    return std::visit(
        overloaded{
            [](const AddSa& a) -> std::string_view {
                switch (a.kind) {
                case AddSa::Kind::add: return "add";
                case AddSa::Kind::update: return "update";
                case AddSa::Kind::getspi: return "getspi";
                }
                return "add";
            },
            [](const GetSa&) -> std::string_view { return "get"; },
            [](const DeleteSa&) -> std::string_view { return "delete"; },
            [](const DeleteAllSa&) -> std::string_view { return "deleteall"; },
            [](const FlushSa&) -> std::string_view { return "flush"; },
            [](const DumpSa&) -> std::string_view { return "dump"; },
            [](const SpdEntry& e) -> std::string_view {
                switch (e.kind) {
                case SpdEntry::Kind::add: return "spdadd";
                case SpdEntry::Kind::update: return "spdupdate";
                case SpdEntry::Kind::remove: return "spddelete";
                }
                return "spdadd";
            },
            [](const SpdTagged& t) -> std::string_view { return t.update ? "spdupdate" : "spdadd"; },
            [](const FlushSpd&) -> std::string_view { return "spdflush"; },
            [](const DumpSpd&) -> std::string_view { return "spddump"; },
            [](const Exit&) -> std::string_view { return "exit"; },
        },
        c);
}

} // namespace setkey::model
