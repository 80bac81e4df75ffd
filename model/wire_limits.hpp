// Every length a script can make arbitrarily long, and the wire field or kernel check
// that bounds it. The grammar refuses a script beyond these where the script says it
// (positioned error, nothing applied); the encoders refuse a length their field cannot
// hold (never wrap). Kernel facts are Linux 6.1's (net/key/af_key.c,
// net/xfrm/xfrm_user.c, security/selinux/xfrm.c).
#pragma once

#include <cstddef>
#include <cstdint>

namespace setkey::model::limits {

// ---- wire fields (what an encoder can represent) ----

// netlink: nlattr.nla_len is 16 bits and counts its 4-byte header; nlmsghdr.nlmsg_len
// is 32 bits and counts the whole message.
inline constexpr size_t kNetlinkAttrMax = 0xffff;
inline constexpr size_t kNetlinkMessageMax = 0xffffffff;

// PF_KEY (RFC 2367): sadb_msg_len and sadb_ext_len are 16-bit counts of 8-byte words.
inline constexpr size_t kPfkeyWord = 8;
inline constexpr size_t kPfkeyMessageMax = 0xffff * kPfkeyWord;
inline constexpr size_t kPfkeyExtensionMax = 0xffff * kPfkeyWord;
// sadb_x_ipsecrequest_len is a 16-bit count of bytes; sadb_key_bits a 16-bit count of
// bits; sadb_x_ctx_len and xfrm_user_sec_ctx's len and ctx_len 16-bit counts of bytes.
inline constexpr size_t kPfkeyRequestMax = 0xffff;
inline constexpr size_t kKeyBitsMax = 0xffff;
inline constexpr size_t kSecCtxFieldMax = 0xffff;

// ---- kernel limits (what the grammar checks) ----

// Templates (ipsec requests) per policy: XFRM_MAX_DEPTH. xfrm_user's validate_tmpl
// refuses more with EINVAL, af_key's parse_ipsecrequests with ELOOP.
inline constexpr size_t kMaxTemplates = 6;

// A security context, counted with the NUL setkey sends after it: af_key refuses a
// sadb_x_ctx_len above PAGE_SIZE, SELinux (both backends) one of PAGE_SIZE or more.
// 4 KiB is the smallest page Linux has, so 4095 bytes pass everywhere.
inline constexpr size_t kMaxSecCtxBytes = 4095;
inline constexpr size_t kMaxSecCtxText = kMaxSecCtxBytes - 1; // the quoted string

// Keys: the algorithm table's sizes bound them (at most 512 bits today); any key that
// passes them fits sadb_key_bits and an XFRMA_ALG_* attribute.
inline constexpr size_t kMaxKeyBytes = kKeyBitsMax / 8;

// Addresses, ports, SPIs, reqids, priorities and lifetimes are fixed-size fields whose
// ranges the grammar checks one by one; a host name with several addresses gives one
// message per address pair, not a longer message.

} // namespace setkey::model::limits
