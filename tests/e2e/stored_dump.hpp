// A file operand for the e2e tests: one ESP SA (192.0.2.1 -> 192.0.2.2, SPI 0x1234) as
// a PF_KEY DUMP reply, which setkey prints from the file without opening a socket.
#pragma once

#include <cstdint>
#include <string>

#include "model/command.hpp"
#include "pfkey/codec.hpp"

namespace setkey::e2e {

inline std::string stored_dump_reply() {
    model::AddSa sa;
    sa.key.src.addr = *model::IpAddress::parse("192.0.2.1");
    sa.key.dst.addr = *model::IpAddress::parse("192.0.2.2");
    sa.key.spi = 0x1234;
    pfkey::Bytes message = pfkey::encode_add_sa(sa, {4242, 0});
    message[1] = static_cast<uint8_t>(pfkey::MsgType::dump); // as if the kernel replied
    return std::string(message.begin(), message.end());
}

} // namespace setkey::e2e
