#include "cli/event_kinds.hpp"

namespace setkey::cli {
namespace {

using K = xfrm::Event::Kind;
using T = pfkey::MsgType;
using J = output::EventKind;

constexpr EventKindRow kRows[] = {
    {K::add, T::add, J::add},
    {K::update, T::update, J::update},
    {K::remove, T::del, J::remove},
    {K::expire, T::expire, J::expire_soft},
    {K::flush, T::flush, J::flush},
    {K::spdadd, T::spdadd, J::spdadd},
    {K::spdupdate, T::spdupdate, J::spdupdate},
    {K::spddelete, T::spddelete, J::spddelete},
    {K::spddelete, T::spddelete2, J::spddelete}, // PF_KEY's delete by policy id
    {K::spdexpire, T::spdexpire, J::spdexpire},
    {K::spdflush, T::spdflush, J::spdflush},
    {K::acquire, T::acquire, J::acquire},
};

} // namespace

const EventKindRow* event_kind(xfrm::Event::Kind kind) {
    for (const EventKindRow& row : kRows)
        if (row.xfrm == kind) return &row;
    return nullptr;
}

const EventKindRow* event_kind(pfkey::MsgType type) {
    for (const EventKindRow& row : kRows)
        if (row.pfkey == type) return &row;
    return nullptr;
}

output::EventKind json_kind(const EventKindRow& row, bool hard) {
    return row.json == J::expire_soft && hard ? J::expire_hard : row.json;
}

} // namespace setkey::cli
