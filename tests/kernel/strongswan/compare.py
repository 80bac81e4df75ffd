#!/usr/bin/env python3
"""Field-by-field comparison of setkey's dumps with iproute2's, for the strongSwan lab.

  compare.py GUEST_OUTPUT [BACKEND...]     (default: every backend that has dumps)

GUEST_OUTPUT holds the blocks guest.sh framed as "=== BEGIN <backend> <name>" ...
"=== END <backend> <name>": ip-state/ip-policy (`ip -d -s xfrm state|policy`),
json-sa/json-sp (`setkey -D|-DP -o json`), classic-sa/classic-sp (`setkey -D|-DP`).
ip's text is parsed into the names setkey's JSON uses (docs/json-schema.md); each entry
is matched to its setkey record and every field compared. Prints PASS/FAIL/KNOWN lines,
then "compare: N passed, M failed, K known"; exit 1 on any failure.
"""
import json
import re
import sys
from calendar import timegm
from time import strptime

# What PF_KEY cannot say about an XFRM-made entry (af_key sends no extension for it, see
# ../shared/reference/vm-lab.md 9.4): over --backend pfkey a difference here is KNOWN.
PFKEY_CANNOT_CARRY = {
    "sa": {"aead_alg", "enc_key_bits", "icv_bits", "replay_window", "flags",
           "mark", "if_id", "output_mark", "selector", "replay_esn", "integrity_failures",
           "replay_errors", "xfrm_flags"},
    "sp": {"mark", "if_id", "policy_flags", "share", "ptype", "templates.spi",
           "templates.share"},
}
# Kernel algorithm names as setkey's algorithm table names them (model/algorithm.cpp).
KERNEL_ALG = {
    ("aead", "rfc4106(gcm(aes))", 128): "aes-gcm-16",
    ("aead", "rfc4106(gcm(aes))", 96): "aes-gcm-12",
    ("aead", "rfc4106(gcm(aes))", 64): "aes-gcm-8",
    ("enc", "cbc(aes)"): "aes-cbc",
    ("auth", "hmac(sha1)"): "hmac-sha1",
    ("auth", "hmac(sha256)"): "hmac-sha256",
    ("auth", "hmac(sha384)"): "hmac-sha384",
    ("auth", "hmac(sha512)"): "hmac-sha512",
}
IP_MODES = {"tunnel", "transport", "beet"}
IP_SA_FLAGS = {"noecn": "noecn", "decap-dscp": "decap_dscp", "nopmtudisc": "nopmtudisc",
               "esn": "esn"}

counts = {"PASS": 0, "FAIL": 0, "KNOWN": 0}


passed_fields = {}  # entry -> the fields found equal, printed as one PASS line per entry


def report(kind, text):
    counts[kind] += 1
    print(f"{kind} {text}")


def field_passed(what, field):
    counts["PASS"] += 1
    passed_fields.setdefault(what, []).append(field)


def flush_passes():
    for what, fields in passed_fields.items():
        print(f"PASS {what}: {len(fields)} fields equal ({', '.join(fields)})")
    passed_fields.clear()


def blocks(path):
    found, name, lines = {}, None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("=== BEGIN "):
                name, lines = line[len("=== BEGIN "):], []
            elif line.startswith("=== END ") and name is not None:
                found[name] = lines
                name = None
            elif name is not None:
                lines.append(line)
    return found


def entries(lines):
    """ip prints one entry per 'src ...' line at column 0, the rest indented."""
    out = []
    for line in lines:
        if line.startswith("src "):
            out.append([line])
        elif out and line.strip():
            out[-1].append(line.strip())
    return out


def limit(v):
    return None if v in ("(INF)", "0") else int(v)


def ip_time(text):
    if text == "-":
        return None
    return timegm(strptime(text, "%Y-%m-%d %H:%M:%S"))  # the guest runs with TZ=UTC


def ip_lifetimes(e, rec):
    """lifetime config / current, as the JSON's hard, soft, bytes, packets, times."""
    hard, soft = {}, {}
    for line in e:
        m = re.match(r"limit: soft (\S+)\((bytes|packets)\), hard (\S+)\(\2\)", line)
        if m:
            soft[m[2]], hard[m[2]] = limit(m[1]), limit(m[3])
        m = re.match(r"expire (add|use): soft (\d+)\(sec\), hard (\d+)\(sec\)", line)
        if m:
            soft[m[1] + "_seconds"], hard[m[1] + "_seconds"] = limit(m[2]), limit(m[3])
        m = re.match(r"(\d+)\(bytes\), (\d+)\(packets\)$", line)
        if m:
            rec["bytes"], rec["packets"] = int(m[1]), int(m[2])
        m = re.match(r"add (\S+ \S+) use (-|\S+ \S+)$", line)
        if m:
            rec["add_time"], rec["use_time"] = ip_time(m[1]), ip_time(m[2])
    for lim in (hard, soft):
        if "packets" in lim:
            lim["allocations"] = lim["packets"]
    rec["hard"], rec["soft"] = hard, soft


def mark(text):
    v, m = text.split("/")
    return {"value": int(v, 16), "mask": int(m, 16)}


def ip_selector(line):
    """'sel src A/n dst B/m [proto P [sport S dport D]] ...' or a policy's head line."""
    words = line.split()
    sel = {"src": words[words.index("src") + 1], "dst": words[words.index("dst") + 1]}
    for key in ("proto", "sport", "dport", "type", "code", "dev"):
        if key in words:
            sel[key] = words[words.index(key) + 1]
    return sel


def parse_ip_state(lines):
    recs = []
    for e in entries(lines):
        head = e[0].split()
        rec = {"src": head[1], "dst": head[3], "flags": set()}
        for line in e[1:]:
            w = line.split()
            if w[0] == "proto":
                rec["proto"] = w[1]
                rec["spi"] = int(w[3].split("(")[0], 16)
                rec["reqid"] = int(w[5].split("(")[0])
                rec["mode"] = w[7]
            elif w[0] == "replay-window" and "flag" in w:
                rec["replay_window"] = int(w[1])
                names = [f for f in w[w.index("flag") + 1:] if not f.startswith("(")]
                rec["flags"] = {IP_SA_FLAGS[f] for f in names if f in IP_SA_FLAGS}
                # Every XFRM flag (af-unspec, wildrecv, ...), not only PF_KEY's four.
                rec["xfrm_flags"] = {f.replace("-", "_") for f in names}
            elif w[0] == "replay_window":        # the ESN context's window replaces the 0 above
                rec["replay_window"] = int(w[1].rstrip(","))
            elif w[0] == "mark":
                rec["mark"] = mark(w[1])
            elif w[0] == "output-mark":
                rec["output_mark"] = mark(w[1])
            elif w[0] == "if_id":
                rec["if_id"] = int(w[1], 16)
            elif w[0] == "aead":
                icv = int(w[-1])
                rec["aead_alg"] = KERNEL_ALG.get(("aead", w[1], icv), w[1])
                rec["enc_key_bits"] = int(re.search(r"\((\d+) bits\)", line)[1])
                rec["icv_bits"] = icv
            elif w[0] == "enc":
                rec["enc_alg"] = KERNEL_ALG.get(("enc", w[1]), w[1])
                rec["enc_key_bits"] = int(re.search(r"\((\d+) bits\)", line)[1])
            elif w[0] in ("auth", "auth-trunc"):
                rec["auth_alg"] = KERNEL_ALG.get(("auth", w[1]), w[1])
                rec["auth_key_bits"] = int(re.search(r"\((\d+) bits\)", line)[1])
                if w[0] == "auth-trunc":
                    rec["icv_bits"] = int(w[-1])
            elif w[0] == "sel":
                rec["selector"] = ip_selector(line)
            elif w[0] == "replay-window" and "failed" in w:   # stats
                rec["replay_errors"] = int(w[w.index("replay") + 1])
                rec["integrity_failures"] = int(w[w.index("failed") + 1])
            elif w[0] == "seq-hi":
                nums = re.findall(r"(seq-hi|seq|oseq-hi|oseq) (0x[0-9a-f]+)", line)
                rec["replay_esn"] = {k.replace("-", "_"): int(v, 16) for k, v in nums}
        ip_lifetimes(e, rec)
        recs.append(rec)
    return recs


def parse_ip_policy(lines):
    recs = []
    for e in entries(lines):
        sel = ip_selector(e[0])
        rec = {"src": sel["src"], "dst": sel["dst"], "templates": []}
        rec["upperspec"] = sel.get("proto", "any")
        rec["src_port"] = int(sel.get("sport", sel.get("type", "0"))) or None
        rec["dst_port"] = int(sel.get("dport", sel.get("code", "0"))) or None
        tmpl = None
        for line in e[1:]:
            w = line.split()
            if w[0] in ("dir", "socket"):
                rec["per_socket"] = w[0] == "socket"
                rec["dir"] = w[1]
                rec["ip_action"] = w[w.index("action") + 1]
                rec["index"] = int(w[w.index("index") + 1])
                rec["priority"] = int(w[w.index("priority") + 1])
                rec["share"] = w[w.index("share") + 1]
                if "ptype" in w:
                    rec["ptype"] = w[w.index("ptype") + 1]
                rec["policy_flags"] = int(re.search(r"\((0x[0-9a-f]+)\)", line)[1], 16)
            elif w[0] == "mark":
                rec["mark"] = mark(w[1])
            elif w[0] == "if_id":
                rec["if_id"] = int(w[1], 16)
            elif w[0] == "tmpl":
                tmpl = {"src": w[2], "dst": w[4]}
                rec["templates"].append(tmpl)
            elif w[0] == "proto" and tmpl is not None:
                tmpl["proto"] = w[1]
                tmpl["spi"] = int(w[3].split("(")[0], 16)
                tmpl["reqid"] = int(w[5].split("(")[0])
                tmpl["mode"] = w[7]
            elif w[0] == "level" and tmpl is not None:
                tmpl["ip_level"] = w[1]
                tmpl["share"] = w[w.index("share") + 1]
        # setkey's action names: XFRM's allow is "ipsec" with templates, "none" without.
        if rec.get("ip_action") == "block":
            rec["action"] = "discard"
        else:
            rec["action"] = "ipsec" if rec["templates"] else "none"
        for t in rec["templates"]:
            if t["mode"] == "transport" and t["src"] in ("0.0.0.0", "::"):
                t["src"] = t["dst"] = None
            # A required template with a reqid is setkey's "unique" (its script syntax).
            t["level"] = {"use": "use"}.get(t.pop("ip_level", ""),
                                            "unique" if t["reqid"] else "require")
        ip_lifetimes(e, rec)
        recs.append(rec)
    return recs


def json_records(lines, key):
    text = "\n".join(lines).strip()
    if not text:
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        return f"not one JSON document: {err}"
    return doc.get(key) or []


def zero_prefix(text):
    return text in ("0.0.0.0/0", "::/0")


def ip_sel_view(sel):
    """ip's 'sel ...' words in the shape of the JSON selector (docs/json-schema.md), minus
    ifindex/user (ip names the device, the JSON gives its index); an all-zero selector
    is the JSON's null."""
    view = {"src": sel["src"], "dst": sel["dst"], "upperspec": sel.get("proto", "any"),
            "src_port": int(sel.get("sport", sel.get("type", "0"))) or None,
            "dst_port": int(sel.get("dport", sel.get("code", "0"))) or None}
    return None if zero_prefix(view["src"]) and zero_prefix(view["dst"]) and \
        view == dict(view, upperspec="any", src_port=None, dst_port=None) else view


def json_sel_view(sel):
    if sel is None:
        return None
    return ip_sel_view({"src": sel["src"] or "0.0.0.0/0", "dst": sel["dst"] or "0.0.0.0/0",
                        **({"proto": sel["upperspec"]} if sel["upperspec"] != "any" else {}),
                        "sport": str(sel["src_port"] or 0), "dport": str(sel["dst_port"] or 0)})


def json_view(kind, rec):
    """The record with ip's names for what the JSON holds under another name or shape."""
    view = dict(rec)
    if kind == "sa" and "replay_state" in rec:
        r = rec["replay_state"]
        view["replay_esn"] = None if r is None or not r["esn"] else \
            {k: r[k] for k in ("seq", "seq_hi", "oseq", "oseq_hi")}
    if kind == "sa" and "selector" in rec:
        view["selector"] = json_sel_view(rec["selector"])
    if kind == "sp" and "flags_raw" in rec:
        view["policy_flags"] = rec["flags_raw"]
    return view


def compare_field(backend, kind, what, field, want, got_rec):
    if kind == "sa" and field == "selector":
        want = ip_sel_view(want)
    if field not in got_rec:
        report("FAIL", f"{backend} {what}: {field} missing in the JSON record (ip: {want})")
        return
    got = got_rec[field]
    if field == "templates":
        compare_templates(backend, kind, what, want, got)
        return
    if field in ("flags", "xfrm_flags"):
        got = set(got)
    if got == want:
        field_passed(f"{backend} {what}", field)
    elif backend == "pfkey" and field in PFKEY_CANNOT_CARRY[kind]:
        report("KNOWN", f"{backend} {what}: {field}: ip {json.dumps(want, default=sorted)}, "
                        f"setkey {json.dumps(got, default=sorted)} (af_key does not carry it)")
    else:
        report("FAIL", f"{backend} {what}: {field}: ip {json.dumps(want, default=sorted)}, "
                       f"setkey {json.dumps(got, default=sorted)}")


def compare_templates(backend, kind, what, want, got):
    """Templates in order, each key on its own (the fidelity keys may come later)."""
    if len(want) != len(got):
        report("FAIL", f"{backend} {what}: {len(want)} templates in ip, {len(got)} in setkey")
        return
    for i, (w, g) in enumerate(zip(want, got)):
        for key, value in w.items():
            compare_field(backend, kind, f"{what} template {i}", f"templates.{key}", value,
                          {f"templates.{k}": v for k, v in g.items()})


def compare_records(backend, kind, ip_recs, js_recs, key_of, name_of, skip):
    if isinstance(js_recs, str) or js_recs is None:
        report("FAIL", f"{backend} {kind} JSON: {js_recs or 'no output'}")
        return
    report("PASS" if len(ip_recs) == len(js_recs) else "FAIL",
           f"{backend} {kind}: ip shows {len(ip_recs)} entries, setkey -o json {len(js_recs)}")
    ids = [r.get("id") for r in js_recs]
    report("PASS" if len(set(ids)) == len(ids) else "FAIL",
           f"{backend} {kind}: the {len(ids)} JSON ids are unique")
    by_key = {}
    for r in js_recs:
        by_key.setdefault(key_of(r), []).append(r)
    for r in ip_recs:
        what = name_of(r)
        found = by_key.get(key_of(r), [])
        if len(found) != 1:
            report("FAIL", f"{backend} {what}: {len(found)} JSON records match")
            continue
        got = json_view(kind, found[0])
        for field, want in r.items():
            if field not in skip:
                compare_field(backend, kind, what, field, want, got)
        flush_passes()


def sa_key(r):
    return (r.get("proto"), r.get("dst"), r.get("spi"))


def sp_key(r):
    return (r.get("dir"), r.get("index"))


def classic_sa(lines):
    """setkey -D: 'SRC DST' then '\tPROTO mode=M spi=D(0xH) reqid=R(0x..)', 'E:'/'A:' lines
    (name and key hex), 'replay=N', 'current: N(bytes)', 'allocated: N'."""
    recs, cur = [], None
    for line in lines:
        if line and not line[0].isspace() and len(line.split()) == 2:
            cur = {"src": line.split()[0], "dst": line.split()[1], "text": []}
            recs.append(cur)
            continue
        if cur is None:
            continue
        cur["text"].append(line)
        m = re.match(r"\s+(\S+) mode=(\S+) spi=(\d+)\(0x[0-9a-f]+\) reqid=(\d+)", line)
        if m:
            cur.update(proto=m[1], mode=m[2], spi=int(m[3]), reqid=int(m[4]))
        m = re.match(r"\s+([EAC]): (\S+)\s*(.*)$", line)
        if m:
            cur[m[1]] = (m[2], 4 * len(m[3].replace(" ", "")))
        m = re.search(r"replay=(\d+)", line)
        if m:
            cur["replay_window"] = int(m[1])
        m = re.match(r"\s+current: (\d+)\(bytes\)", line)
        if m:
            cur["bytes"] = int(m[1])
        m = re.match(r"\s+allocated: (\d+)", line)
        if m:
            cur["packets"] = int(m[1])
    return recs


# What the classic text must say once the fidelity work adds its extra line: the keyword
# and the value. Over PF_KEY the line cannot be there (af_key does not report marks or
# interface ids): its absence is KNOWN.
CLASSIC_EXTRAS = {
    "mark": lambda v: (r"\bmark\b", rf"\bmark[=: ]+0x0*{v['value']:x}/0x0*{v['mask']:x}\b"),
    "output_mark": lambda v: (r"output.mark", rf"output.mark[=: ]+0x0*{v['value']:x}/0x0*{v['mask']:x}\b"),
    "if_id": lambda v: (r"\bif_id\b", rf"\bif_id[=: ]+(0x0*{v:x}|{v})\b"),
}


def compare_classic_extras(backend, what, r, text):
    text = "\n".join(text)
    for field, patterns in CLASSIC_EXTRAS.items():
        if field not in r:
            continue
        keyword, value = patterns(r[field])
        if not re.search(keyword, text):
            if backend == "pfkey":
                report("KNOWN", f"{backend} {what}: no {field} in the classic text (ip: {r[field]}; af_key does not carry it)")
            else:
                report("FAIL", f"{backend} {what}: classic text has no {field} (ip: {r[field]})")
        elif re.search(value, text):
            field_passed(f"{backend} {what}", field)
        else:
            report("FAIL", f"{backend} {what}: classic text does not show {field} {r[field]}")


def classic_sp(lines):
    """setkey -DP: 'SRC[port] DST[port] UPPER' then '\tDIR prio ... ACTION', templates,
    'spid=N ...'. Returns dir, index, src, dst and the template lines."""
    recs, cur = [], None
    for line in lines:
        if line.startswith("(per-socket policy)"):
            cur = {"per_socket": True, "tmpl": [], "text": []}
            recs.append(cur)
            continue
        if line and not line[0].isspace():
            w = line.split()
            cur = {"src": re.sub(r"\[.*\]$", "", w[0]) if w else "",
                   "dst": re.sub(r"\[.*\]$", "", w[1]) if len(w) > 1 else "", "tmpl": [], "text": []}
            recs.append(cur)
            continue
        if cur is None:
            continue
        s = line.strip()
        cur["text"].append(s)
        m = re.match(r"(in|out|fwd)(\(socket\))? ", s)
        if m and "dir" not in cur:
            cur["dir"] = m[1]
        if re.match(r"(esp|ah|ipcomp)/", s):
            cur["tmpl"].append(s)
        m = re.match(r"spid=(\d+)", s)
        if m:
            cur["index"] = int(m[1])
    return recs


def classic_template(t):
    addrs = f"{t['src']}-{t['dst']}" if t.get("src") else ""
    reqid = f":{t['reqid']}" if t["reqid"] else ""
    return f"{t['proto']}/{t['mode']}/{addrs}/{t['level']}{reqid}"


def compare_classic_entry(backend, what, r, c, want_fields, pfkey_blind=()):
    """One classic entry: each wanted field, then the extra line's attributes."""
    for field, want in want_fields.items():
        if c.get(field) == want:
            field_passed(f"{backend} {what}", field)
        elif backend == "pfkey" and field in pfkey_blind:
            report("KNOWN", f"{backend} {what}: {field}: ip {want}, setkey {c.get(field)} (af_key does not carry it)")
        else:
            report("FAIL", f"{backend} {what}: {field}: ip {want}, setkey {c.get(field)}")
    compare_classic_extras(backend, what, r, c["text"])
    flush_passes()


def classic_matches(backend, ip_recs, classic_recs, key_of, name_of, where):
    """(what, ip entry, classic entry) for each ip entry; a FAIL for each one missing."""
    got = {key_of(c): c for c in classic_recs}
    for r in ip_recs:
        c = got.get(key_of(r))
        if c is None:
            report("FAIL", f"{backend} {name_of(r)}: not in {where}")
        else:
            yield name_of(r), r, c


def compare_classic(backend, ip_sa, ip_sp, sa_lines, sp_lines):
    for what, r, c in classic_matches(
            backend, ip_sa, classic_sa(sa_lines), sa_key,
            lambda r: f"classic SA {r['proto']} {r['src']}->{r['dst']} spi 0x{r['spi']:08x}", "setkey -D"):
        want = {f: r[f] for f in ("src", "mode", "reqid", "replay_window", "bytes", "packets")}
        want["E"] = (r.get("aead_alg") or r.get("enc_alg"), r.get("enc_key_bits"))
        if r.get("auth_alg"):
            want["A"] = (r["auth_alg"], r["auth_key_bits"])
        # af_key reports no AEAD algorithm and no ESN replay window.
        blind = {"replay_window"} | ({"E"} if r.get("aead_alg") else set())
        compare_classic_entry(backend, what, r, c, want, blind)
    for what, r, c in classic_matches(
            backend, ip_sp, classic_sp(sp_lines), sp_key,
            lambda r: f"classic SP {'socket ' if r['per_socket'] else ''}{r['dir']} index {r['index']}",
            "setkey -DP (same dir and spid=)"):
        want = {"src": r["src"], "dst": r["dst"], "tmpl": [classic_template(t) for t in r["templates"]]}
        if r["per_socket"]:
            want = {"per_socket": True}
        compare_classic_entry(backend, what, r, c, want)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = blocks(sys.argv[1])
    # Without BACKEND arguments: every backend the guest printed dumps for.
    backends = sys.argv[2:] or list(dict.fromkeys(
        n.split()[0] for n in found if n.endswith(" ip-state")))
    if not backends:
        report("FAIL", "the guest printed no dumps (tunnels down?)")
    for backend in backends:
        need = [f"{backend} {n}" for n in ("ip-state", "ip-policy", "json-sa", "json-sp",
                                           "classic-sa", "classic-sp")]
        missing = [n for n in need if n not in found]
        if missing:
            report("FAIL", f"{backend}: the guest printed no {', '.join(missing)} (tunnels down?)")
            continue
        ip_sa = parse_ip_state(found[f"{backend} ip-state"])
        ip_sp = parse_ip_policy(found[f"{backend} ip-policy"])
        compare_records(backend, "sa", ip_sa, json_records(found[f"{backend} json-sa"], "sa"),
                        sa_key, lambda r: f"SA {r['proto']} {r['src']}->{r['dst']} spi 0x{r['spi']:08x}",
                        skip=set())
        js_sp = json_records(found[f"{backend} json-sp"], "sp")
        compare_records(backend, "sp", ip_sp, js_sp, sp_key,
                        lambda r: f"SP {'socket ' if r['per_socket'] else ''}{r['dir']} index {r['index']}",
                        # Linux never counts bytes or packets of a policy (ip shows 0);
                        # the JSON policy record has no such keys.
                        skip={"ip_action", "bytes", "packets"})
        compare_classic(backend, ip_sa, ip_sp, found[f"{backend} classic-sa"],
                        found[f"{backend} classic-sp"])
    print("compare: {PASS} passed, {FAIL} failed, {KNOWN} known PF_KEY limits".format(**counts))
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
