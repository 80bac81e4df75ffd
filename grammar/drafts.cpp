#include "grammar/drafts.hpp"

namespace setkey::grammar {

SaDraft::SaDraft(Cmd command) : cmd(command) {
    ends.use = cmd == Cmd::add || cmd == Cmd::update || cmd == Cmd::getspi ? AddressUse::sa_pairs
                                                                           : AddressUse::sa_single;
    sa.kind = cmd == Cmd::update ? model::AddSa::Kind::update
              : cmd == Cmd::getspi ? model::AddSa::Kind::getspi
                                   : model::AddSa::Kind::add;
}

SpdDraft::SpdDraft(Cmd command) : cmd(command) {
    ends.use = AddressUse::selector;
    spd.kind = cmd == Cmd::spdadd      ? model::SpdEntry::Kind::add
               : cmd == Cmd::spdupdate ? model::SpdEntry::Kind::update
                                       : model::SpdEntry::Kind::remove;
}

void start_draft(Draft& draft, Cmd cmd) {
    switch (cmd) {
    case Cmd::add:
    case Cmd::update:
    case Cmd::getspi:
    case Cmd::get:
    case Cmd::del:
    case Cmd::deleteall: draft.emplace<SaDraft>(cmd); return;
    case Cmd::spdadd:
    case Cmd::spdupdate:
    case Cmd::spddelete: draft.emplace<SpdDraft>(cmd); return;
    case Cmd::flush:
    case Cmd::dump:
    case Cmd::spdflush:
    case Cmd::spddump:
    case Cmd::exit: draft.emplace<RequestDraft>(RequestDraft{cmd, std::nullopt}); return;
    }
}

} // namespace setkey::grammar
