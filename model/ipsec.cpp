#include "model/ipsec.hpp"

namespace setkey::model {

std::string_view satype_name(SaType t) {
    switch (t) {
    case SaType::unspec: return "unspec";
    case SaType::ah: return "ah";
    case SaType::esp: return "esp";
    case SaType::ipcomp: return "ipcomp";
    case SaType::tcp: return "tcp";
    }
    return "unknown";
}

std::string_view mode_name(Mode m) {
    switch (m) {
    case Mode::any: return "any";
    case Mode::transport: return "transport";
    case Mode::tunnel: return "tunnel";
    case Mode::beet: return "beet";
    }
    return "unknown";
}

std::string_view direction_name(Direction d) {
    switch (d) {
    case Direction::any: return "any";
    case Direction::in: return "in";
    case Direction::out: return "out";
    case Direction::fwd: return "fwd";
    case Direction::invalid: break;
    }
    return "invalid";
}

std::string_view action_name(Action a) {
    switch (a) {
    case Action::discard: return "discard";
    case Action::none: return "none";
    case Action::ipsec: return "ipsec";
    case Action::entrust: return "entrust";
    case Action::bypass: return "bypass";
    }
    return "unknown";
}

std::string_view level_name(Level l) {
    switch (l) {
    case Level::default_: return "default";
    case Level::use: return "use";
    case Level::require: return "require";
    case Level::unique: return "unique";
    }
    return "unknown";
}

} // namespace setkey::model
