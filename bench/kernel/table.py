#!/usr/bin/env python3
"""Reads guest.sh's result lines on stdin and prints the figures table (best of the
repetitions; ratios against the raw sender and raw dumper, and against ipsec-tools 0.8.2 measured in
the same VM: 4.4 s apply, 1.3 s -D, 1.7 s -DP for 10,000 SAs + 10,000 policies)."""
import collections
import re
import sys

IPSEC_TOOLS = {"apply": 4.4, "-D": 1.3, "-DP": 1.7}  # N = 10,000, same VM
best = collections.defaultdict(list)
rss = collections.defaultdict(int)
counts = {}
for line in sys.stdin:
    f = line.split()
    kv = dict(x.split("=", 1) for x in f if "=" in x)
    if not f or f[0].startswith("#"):
        continue
    if (f[0].startswith(("apply", "sync")) or f[0] == "reload") and "wall" in kv:
        key = (f[0], f[1], int(f[2]))
    elif f[0] in ("dump-null", "dump-file", "dump-empty", "rawdump-proc", "iproute2") and "wall" in kv:
        key = (f[0] + " " + f[1], f[2], int(f[3]))
    elif f[0] == "count":
        counts[(f[1], f[2], int(f[3]))] = int(kv["entries"])
        continue
    elif f[0] == "rawdump" and "seconds" in kv:
        best[("rawdump " + f[1], f[2], int(f[3]))].append(float(kv["seconds"]))
        continue
    elif f[0] == "raw" and "seconds" in kv:
        best[("raw", f[1], int(f[2]))].append(float(kv["seconds"]))
        continue
    else:
        continue
    if kv.get("status") != "0":
        print("# failed:", line.strip())
    best[key].append(float(kv["wall"]))
    if f[0].startswith(("apply-", "sync")) or f[0] in ("rawdump-proc", "iproute2", "reload"):  # loads' and dumps' own peak only
        continue
    rss[(key[1], key[2])] = max(rss[(key[1], key[2])], int(kv["maxrss_kib"]))

def b(k):
    v = best.get(k)
    return min(v) if v else None

def s(x):
    return "-" if x is None else f"{x:.2f}"

def ratio(a, c):
    return "-" if a is None or not c else f"{a / c:.2f}x"

print()
print("| backend | N | setkey -f (s) | raw sender (s) | -f / raw | -f / 0.8.2 | -D null (s) | -D file (s) | raw -D (s) | -D / raw | SAs | -D / 0.8.2 | -DP null (s) | -DP file (s) | raw -DP (s) | -DP / raw | policies | -DP / 0.8.2 | peak RSS (MiB) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for backend, n in sorted({(k[1], k[2]) for k in best}, key=lambda x: (x[1], x[0])):
    scale = n / 10000
    ap, raw = b(("apply", backend, n)), b(("raw", backend, n))
    dn, df = b(("dump-null -D", backend, n)), b(("dump-file -D", backend, n))
    pn, pf = b(("dump-null -DP", backend, n)), b(("dump-file -DP", backend, n))
    rd, rp = b(("rawdump -D", backend, n)), b(("rawdump -DP", backend, n))
    print(f"| {backend} | {n} | {s(ap)} | {s(raw)} | {ratio(ap, raw)} | "
          f"{ratio(ap, IPSEC_TOOLS['apply'] * scale)} | {s(dn)} | {s(df)} | {s(rd)} | {ratio(dn, rd)} | "
          f"{counts.get(('-D', backend, n), '-')} | "
          f"{ratio(dn, IPSEC_TOOLS['-D'] * scale)} | {s(pn)} | {s(pf)} | {s(rp)} | {ratio(pn, rp)} | "
          f"{counts.get(('-DP', backend, n), '-')} | "
          f"{ratio(pn, IPSEC_TOOLS['-DP'] * scale)} | {rss[(backend, n)] / 1024:.1f} |")
print("\nDumps against the raw dumper: its read loop alone (in-process) and as a whole process,")
print("which pays the same exec, library loading and socket set-up as setkey; `setkey -D` on")
print("empty tables is setkey's own start-up floor:\n")
print("| backend | N | dump | setkey (s) | raw in-process (s) | raw process (s) | setkey / raw process | setkey, empty tables (s) |")
print("|---|---|---|---|---|---|---|---|")
for backend, n in sorted({(k[1], k[2]) for k in best}, key=lambda x: (x[1], x[0])):
    for d in ("-D", "-DP"):
        sk, ri, rp = b(("dump-null " + d, backend, n)), b(("rawdump " + d, backend, n)), b(("rawdump-proc " + d, backend, n))
        print(f"| {backend} | {n} | {d} | {s(sk)} | {s(ri)} | {s(rp)} | {ratio(sk, rp)} | "
              f"{s(b(('dump-empty -D', backend, n))) if d == '-D' else ''} |")

print("\nDumps against the raw dumper process and iproute2 on the same table (`ip xfrm state`")
print("for -D, `ip xfrm policy` for -DP, to /dev/null), and `-o json` against classic:\n")
print("| backend | N | dump | setkey (s) | / raw process | ip xfrm (s) | setkey / ip | -o json (s) | json / classic |")
print("|---|---|---|---|---|---|---|---|---|")
for backend, n in sorted({(k[1], k[2]) for k in best}, key=lambda x: (x[1], x[0])):
    for d in ("-D", "-DP"):
        sk, rp = b(("dump-null " + d, backend, n)), b(("rawdump-proc " + d, backend, n))
        ip, js = b(("iproute2 " + d, backend, n)), b(("dump-null " + d + "-json", backend, n))
        print(f"| {backend} | {n} | {d} | {s(sk)} | {ratio(sk, rp)} | {s(ip)} | {ratio(sk, ip)} | {s(js)} | {ratio(js, sk)} |")

def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2

print("\nApply time by binary (VARIANTS) in the same boot; ratios against the raw sender's median:\n")
print("| binary | backend | N | runs (s) | best | median | median / raw |")
print("|---|---|---|---|---|---|---|")
for k in sorted(k for k in best if k[0].startswith("apply")):
    raw = best.get(("raw", k[1], k[2]))
    name = "setkey (this build)" if k[0] == "apply" else k[0][len("apply-"):]
    print(f"| {name} | {k[1]} | {k[2]} | {' '.join(f'{x:.2f}' for x in best[k])} | {min(best[k]):.2f} | "
          f"{median(best[k]):.2f} | {ratio(median(best[k]), median(raw) if raw else None)} |")
for k in sorted(k for k in best if k[0] == "raw"):
    print(f"| raw sender | {k[1]} | {k[2]} | {' '.join(f'{x:.2f}' for x in best[k])} | {min(best[k]):.2f} | {median(best[k]):.2f} | 1.00x |")

print("\nBest of the repetitions. For N != 10,000 the 0.8.2 figures are scaled linearly (not measured).")
for k in sorted(best):
    print("#", *k, " ".join(f"{x:.2f}" for x in best[k]))

print("\n`--sync` of a file that changes 1% of the SAs and policies (every 100th SA's key, every")
print("100th policy's priority) against the flush and reload of the same file:\n")
print("| backend | N | --sync (s) | flush and reload -f (s) | reload / sync |")
print("|---|---|---|---|---|")
for backend, n in sorted({(k[1], k[2]) for k in best}, key=lambda x: (x[1], x[0])):
    sy, rl = b(("sync", backend, n)), b(("reload", backend, n))
    if sy is not None or rl is not None:
        print(f"| {backend} | {n} | {s(sy)} | {s(rl)} | {ratio(rl, sy)} |")
for k in sorted(k for k in best if k[0].startswith("sync-")):
    rl = b(("reload", k[1], k[2]))
    print(f"| {k[1]} ({k[0][len('sync-'):]}, back to s{k[2]}) | {k[2]} | {s(b(k))} | {s(rl)} | {ratio(rl, b(k))} |")
