#include "model/algorithm.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace setkey::model;

TEST(AlgorithmTable, FindsNamesAndAliases) {
    const Algorithm* aes = find_algorithm(AlgKind::enc, "aes-cbc");
    ASSERT_NE(aes, nullptr);
    EXPECT_EQ(find_algorithm(AlgKind::enc, "rijndael-cbc"), aes);
    EXPECT_EQ(aes->pfkey_id, 12);
    EXPECT_EQ(aes->xfrm_name, "cbc(aes)");
    EXPECT_EQ(find_algorithm(AlgKind::auth, "hmac-sha2-256"), find_algorithm(AlgKind::auth, "hmac-sha256"));
    EXPECT_EQ(find_algorithm(AlgKind::auth, "aes-cbc"), nullptr); // kinds are separate
    // -E also names AEADs
    const Algorithm* gcm = find_algorithm(AlgKind::enc, "aes-gcm-16");
    ASSERT_NE(gcm, nullptr);
    EXPECT_EQ(gcm->kind, AlgKind::aead);
    EXPECT_EQ(gcm->icv_bits, 128);
}

TEST(AlgorithmTable, NamesAreUniquePerKind) {
    std::set<std::pair<int, std::string>> seen;
    for (const auto& a : all_algorithms()) {
        int kind = a.kind == AlgKind::aead ? int(AlgKind::enc) : int(a.kind);
        EXPECT_TRUE(seen.emplace(kind, std::string(a.name)).second) << a.name;
        for (auto alias : a.aliases)
            if (!alias.empty()) {
                EXPECT_TRUE(seen.emplace(kind, std::string(alias)).second) << alias;
            }
    }
}

TEST(AlgorithmTable, KeyLengths) {
    const Algorithm& aes = *find_algorithm(AlgKind::enc, "aes-cbc");
    EXPECT_TRUE(key_length_ok(aes, 128));
    EXPECT_TRUE(key_length_ok(aes, 256));
    EXPECT_FALSE(key_length_ok(aes, 136)); // inside the kernel's range, refused at SADB_ADD
    EXPECT_EQ(key_sizes_text(aes), "128, 192 or 256 bits");
    const Algorithm& bf = *find_algorithm(AlgKind::enc, "blowfish-cbc");
    EXPECT_TRUE(key_length_ok(bf, 64));
    EXPECT_FALSE(key_length_ok(bf, 456));
    EXPECT_EQ(key_sizes_text(bf), "40 to 448 bits");
    EXPECT_EQ(key_sizes_text(*find_algorithm(AlgKind::auth, "hmac-sha1")), "160 bits");
}

TEST(AlgorithmTable, ReverseLookups) {
    EXPECT_EQ(find_by_pfkey_id(AlgKind::enc, 2)->name, "des-cbc"); // not des-deriv
    EXPECT_EQ(find_by_pfkey_id(AlgKind::enc, 11)->name, "null");   // not simple
    EXPECT_EQ(find_by_pfkey_id(AlgKind::auth, 251)->name, "null");
    EXPECT_EQ(find_by_pfkey_id(AlgKind::comp, 2)->name, "deflate");
    EXPECT_EQ(find_by_xfrm_name(AlgKind::auth, "hmac(sha256)")->name, "hmac-sha256");
    EXPECT_EQ(find_by_xfrm_name(AlgKind::enc, "cbc(des)")->name, "des-cbc");          // the first row
    EXPECT_EQ(find_by_xfrm_name(AlgKind::enc, "ecb(cipher_null)")->name, "null");     // not simple
    EXPECT_EQ(find_by_xfrm_name(AlgKind::enc, "rfc4106(gcm(aes))")->name, "aes-gcm-16"); // -E names AEADs
    EXPECT_EQ(find_by_xfrm_name(AlgKind::comp, "deflate")->name, "deflate");
    // A kernel message with an empty name is no algorithm, not the first row without one.
    EXPECT_EQ(find_by_xfrm_name(AlgKind::auth, ""), nullptr);
    EXPECT_EQ(find_by_xfrm_name(AlgKind::auth, "cbc(aes)"), nullptr);
    EXPECT_EQ(find_by_pfkey_id(AlgKind::auth, 4), nullptr);
    EXPECT_EQ(find_by_pfkey_id(AlgKind::enc, 20)->name, "aes-gcm-16"); // -E names AEADs
    EXPECT_EQ(find_by_pfkey_id(AlgKind::aead, 12)->name, "aes-cbc");
    EXPECT_EQ(find_by_pfkey_id(AlgKind::enc, -1), nullptr); // "no PF_KEY id" is no id
    EXPECT_EQ(find_by_pfkey_id(AlgKind::enc, 268), nullptr);
}

TEST(AlgorithmTable, Suggestions) {
    auto s = suggest_algorithms(AlgKind::enc, "aes-cbd");
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s.front(), "aes-cbc");
    EXPECT_TRUE(suggest_algorithms(AlgKind::auth, "completely-different").empty());
}
