#include "model/record.hpp"

namespace setkey::model {

std::string_view sa_state_name(uint8_t state) {
    switch (state) {
    case 0: return "larval";
    case 1: return "mature";
    case 2: return "dying";
    case 3: return "dead";
    }
    return "unknown";
}

} // namespace setkey::model
