// Runs tests/unit/output/validate_json.py (Debian's python3-jsonschema, draft 2020-12)
// on text against a schema file of docs/schema/. Header-only: the output and cli test
// binaries both use it. The interpreter is SETKEY_PYTHON, else /usr/bin/python3 (the
// distribution's, with its python3-jsonschema), else python3 from PATH.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace setkey::schema_test {

inline std::string schema_python() {
    if (const char* p = std::getenv("SETKEY_PYTHON")) return p;
    return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

inline std::string schema_file(const std::string& name) {
    return std::string(SETKEY_SOURCE_DIR) + "/docs/schema/" + name;
}

inline bool have_schema_validator() {
    // Appended piece by piece: GCC 12 warns (-Wrestrict) about a `"'" + s + ...` chain.
    std::string cmd = "'";
    cmd += schema_python();
    cmd += "' -c 'from jsonschema import Draft202012Validator' >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

#define SETKEY_NEED_SCHEMA_VALIDATOR()                                                           \
    do {                                                                                         \
        if (!::setkey::schema_test::have_schema_validator())                                         \
            GTEST_SKIP() << "no draft 2020-12 validator (apt-get install python3-jsonschema)";  \
    } while (0)

struct SchemaVerdict {
    bool valid = false;
    std::string why; // the validator's report: one line per problem
};

// Validates every JSON value in `text` (a document stream or JSONL) against
// docs/schema/<schema>.
inline SchemaVerdict validate_against(const std::string& schema, const std::string& text) {
    char path[] = "/tmp/setkey-schema-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return {false, "mkstemp failed"};
    close(fd);
    std::ofstream(path, std::ios::binary) << text;
    std::string cmd = "'";
    cmd += schema_python();
    cmd += "' '" SETKEY_SOURCE_DIR "/tests/unit/output/validate_json.py' '";
    cmd += schema_file(schema);
    cmd += "' '";
    cmd += path;
    cmd += "' 2>&1";
    SchemaVerdict v;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[4096];
        for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) v.why.append(buf, n);
        const int status = pclose(p);
        v.valid = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    std::remove(path);
    return v;
}

} // namespace setkey::schema_test
