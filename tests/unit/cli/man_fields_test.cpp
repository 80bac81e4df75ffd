// The manual names every machine-output field and metric docs/json-schema.md lists,
// and the --atomic, progress, key-permission and FILES text it promises.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

std::string read(const std::string& rel) {
    std::ifstream in(std::string(SETKEY_SOURCE_DIR) + "/" + rel);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The backticked first cell of every table row: "| `enc_key` | ..." gives enc_key.
std::set<std::string> schema_fields(const std::string& doc) {
    std::set<std::string> fields;
    const std::regex row(R"(^\| `([a-z_0-9]+)` \|)");
    std::istringstream lines(doc);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_search(line, m, row)) fields.insert(m[1]);
    }
    return fields;
}

// As a word of an mdoc line: bounded by spaces, commas or line ends.
bool names(const std::string& page, const std::string& field) {
    const std::regex word("(^|[ ,])" + field + "($|[ ,;.])", std::regex::multiline);
    return std::regex_search(page, word);
}

TEST(ManFields, NamesEveryJsonSchemaField) {
    const auto fields = schema_fields(read("docs/json-schema.md"));
    ASSERT_GT(fields.size(), 60u);
    const std::string page = read("man/setkey.8");
    for (const std::string& f : fields) EXPECT_TRUE(names(page, f)) << f << " is not in man/setkey.8";
}

TEST(ManFields, DescribesSafeOperations) {
    const std::string page = read("man/setkey.8");
    for (const char* text : {".It Fl Fl atomic", "rolled back", "chmod 600", ".Sh FILES",
                             "setkey.service", "bash-completion", "TERM"})
        EXPECT_NE(page.find(text), std::string::npos) << text;
}

} // namespace
