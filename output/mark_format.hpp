// How every output prints an XFRM mark (value and mask), so the forms cannot drift:
//   {}   compact "0x5/0xff": ids, Prometheus labels, scripts (what -mark reads back);
//   {:w} fixed width "0x00000005/0x000000ff": the text dumps' columns.
#pragma once

#include <fmt/format.h>

#include "model/xfrm_attrs.hpp"

template <>
struct fmt::formatter<setkey::model::Mark> {
    bool wide = false;

    constexpr auto parse(format_parse_context& ctx) {
        auto it = ctx.begin();
        if (it != ctx.end() && *it == 'w') {
            wide = true;
            ++it;
        }
        if (it != ctx.end() && *it != '}') throw format_error("a mark takes {} or {:w}");
        return it;
    }

    template <typename Context>
    auto format(const setkey::model::Mark& m, Context& ctx) const {
        return wide ? fmt::format_to(ctx.out(), "0x{:08x}/0x{:08x}", m.value, m.mask)
                    : fmt::format_to(ctx.out(), "0x{:x}/0x{:x}", m.value, m.mask);
    }
};
