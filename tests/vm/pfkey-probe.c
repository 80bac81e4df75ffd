/* Minimal PF_KEY v2 client for the harness self-test (not part of setkey).
 *   pfkey-probe register   SADB_REGISTER for ESP; prints "auth ..." and "encrypt ..." ids
 *   pfkey-probe dump       SADB_DUMP of every satype; prints "sa <satype> 0x<spi>" per SA
 * Exits 1 if the socket cannot be opened or the kernel answers with an error. */
#include <errno.h>
#include <linux/pfkeyv2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

static uint64_t buf[8192]; /* 64 KiB, 8-byte aligned like PF_KEY messages */

static int send_msg(int s, uint8_t type, uint8_t satype) {
  struct sadb_msg m = {0};
  m.sadb_msg_version = PF_KEY_V2;
  m.sadb_msg_type = type;
  m.sadb_msg_satype = satype;
  m.sadb_msg_len = sizeof m / 8;
  m.sadb_msg_seq = 1;
  m.sadb_msg_pid = getpid();
  return send(s, &m, sizeof m, 0) == (ssize_t)sizeof m ? 0 : -1;
}

/* Print the algorithm ids of one SUPPORTED extension, in the kernel's order. */
static void print_algs(const char *label, const struct sadb_supported *sup) {
  const struct sadb_alg *a = (const void *)(sup + 1);
  const struct sadb_alg *end = (const void *)((const uint8_t *)sup + sup->sadb_supported_len * 8);
  printf("%s", label);
  for (; a < end; a++) printf(" %u", a->sadb_alg_id);
  printf("\n");
}

/* Walk the extensions of one message, calling back on each. */
static void each_ext(const struct sadb_msg *m, ssize_t n, void (*fn)(const struct sadb_ext *, const struct sadb_msg *)) {
  const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + n;
  while (p + sizeof(struct sadb_ext) <= end) {
    const struct sadb_ext *e = (const void *)p;
    if (e->sadb_ext_len == 0 || p + e->sadb_ext_len * 8 > end) break;
    fn(e, m);
    p += e->sadb_ext_len * 8;
  }
}

static void on_register_ext(const struct sadb_ext *e, const struct sadb_msg *m) {
  (void)m;
  if (e->sadb_ext_type == SADB_EXT_SUPPORTED_AUTH) print_algs("auth", (const void *)e);
  if (e->sadb_ext_type == SADB_EXT_SUPPORTED_ENCRYPT) print_algs("encrypt", (const void *)e);
}

static void on_dump_ext(const struct sadb_ext *e, const struct sadb_msg *m) {
  if (e->sadb_ext_type == SADB_EXT_SA)
    printf("sa %u 0x%08x\n", m->sadb_msg_satype, ntohl(((const struct sadb_sa *)e)->sadb_sa_spi));
}

int main(int argc, char **argv) {
  int dump = argc > 1 && strcmp(argv[1], "dump") == 0;
  int s = socket(PF_KEY, SOCK_RAW, PF_KEY_V2);
  if (s < 0) { perror("socket(PF_KEY)"); return 1; }
  if (send_msg(s, dump ? SADB_DUMP : SADB_REGISTER, dump ? SADB_SATYPE_UNSPEC : SADB_SATYPE_ESP) < 0) {
    perror("send");
    return 1;
  }
  for (;;) {
    ssize_t n = recv(s, buf, sizeof buf, 0);
    const struct sadb_msg *m = (const void *)buf;
    if (n < (ssize_t)sizeof *m) { perror("recv"); return 1; }
    if (m->sadb_msg_pid != (uint32_t)getpid()) continue; /* someone else's broadcast */
    if (dump && m->sadb_msg_errno == ENOENT) return 0;   /* empty SAD */
    if (m->sadb_msg_errno) { fprintf(stderr, "kernel: %s\n", strerror(m->sadb_msg_errno)); return 1; }
    each_ext(m, n, dump ? on_dump_ext : on_register_ext);
    if (!dump || m->sadb_msg_seq == 0) return 0; /* Linux ends a dump with seq 0 */
  }
}
