#include "output/plan.hpp"

#include <nlohmann/json.hpp>

namespace setkey::output {
namespace {

using Op = model::SyncPlan::Op;

struct Change {
    Op op;
    const char* table;
    unsigned line;
    std::string statement; // without its newline
};

std::string chomp(std::string s) {
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

// Each change once, in the plan's order: the entry the kernel will hold, or for a
// delete the one it holds now.
template <class Visit>
void each_change(const model::SyncPlan& plan, const ScriptOptions& options, Visit visit) {
    for (const auto& c : plan.sa_changes)
        visit(Change{c.op, "sad", c.line,
                     chomp(c.op == Op::remove ? sa_record_statement(c.kernel, options)
                                              : sa_statement(c.desired, options))});
    for (const auto& c : plan.policy_changes) {
        model::SpdEntry shown = c.desired;
        shown.kind = model::SpdEntry::Kind::add;
        visit(Change{c.op, "spd", c.line,
                     chomp(c.op == Op::remove ? policy_record_statement(c.kernel) : policy_statement(shown))});
    }
}

const char* op_name(Op op) {
    switch (op) {
    case Op::add: return "add";
    case Op::replace: return "replace";
    case Op::remove: return "delete";
    }
    return "";
}

char op_mark(Op op) { return op == Op::add ? '+' : op == Op::replace ? '~' : '-'; }

} // namespace

std::string plan_text(const model::SyncPlan& plan, const ScriptOptions& options) {
    std::string out;
    each_change(plan, options, [&](const Change& c) {
        out += op_mark(c.op);
        out += ' ';
        out += c.statement;
        out += '\n';
    });
    return out;
}

std::string plan_json(const model::SyncPlan& plan, const ScriptOptions& options) {
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    each_change(plan, options, [&](const Change& c) {
        changes.push_back({{"change", op_name(c.op)}, {"table", c.table}, {"line", c.line},
                           {"statement", c.statement}});
    });
    nlohmann::ordered_json doc = {{"changes", std::move(changes)},
                                  {"added", plan.count(Op::add)},
                                  {"replaced", plan.count(Op::replace)},
                                  {"deleted", plan.count(Op::remove)},
                                  {"unchanged", plan.unchanged()}};
    return doc.dump(2) + "\n";
}

} // namespace setkey::output
