#!/usr/bin/env python3
"""Writes the large-table workload to stdout: N ESP tunnel SAs, then N outbound policies.

    bench/gen-script.py [N]      (N defaults to 10000)

SA k goes from 10.X.Y.Z to 10.200.Y.Z with SPI 0x1000+k, reqid k mod 16000 + 1 and keys
that spell k (aes-cbc 128 bits, hmac-sha1 160 bits), so every SA is distinct and a dump
can be checked against the script. Policy k sends 172.16+.Y.(Z-1)/32 to 192.168.Y.(Z-1)/32
through SA k's tunnel. Addresses advance 250 hosts per /24 so no octet reaches 255 or 0
as a tunnel endpoint. The statements are fixed for a given N: the figures in bench/ and
tests/kernel/bigtable stay comparable across runs and machines.
"""
import sys

HOSTS_PER_NET = 250


def octets(k):
    """(net-group, net, host) for the k-th entry: k = (group*250 + net)*250 + host."""
    net_index, host = divmod(k, HOSTS_PER_NET)
    group, net = divmod(net_index, HOSTS_PER_NET)
    return group, net, host


def tunnel(k):
    group, net, host = octets(k)
    return f"10.{group}.{net}.{host + 1}", f"10.200.{net}.{host + 1}"


def sa_line(k):
    src, dst = tunnel(k)
    return (f"add {src} {dst} esp {0x1000 + k:#x} -m tunnel -u {k % 16000 + 1} "
            f"-E aes-cbc 0x{k:032x} -A hmac-sha1 0x{k:040x};\n")


def policy_line(k):
    group, net, host = octets(k)
    src, dst = tunnel(k)
    return (f"spdadd 172.{16 + group % 16}.{net}.{host}/32[any] 192.168.{net}.{host}/32[any] any "
            f"-P out ipsec esp/tunnel/{src}-{dst}/require;\n")


def main(argv):
    count = int(argv[1]) if len(argv) > 1 else 10000
    write = sys.stdout.write
    for k in range(count):
        write(sa_line(k))
    for k in range(count):
        write(policy_line(k))


if __name__ == "__main__":
    main(sys.argv)
