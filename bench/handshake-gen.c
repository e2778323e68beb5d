/*
 * Plain WebSocket opening handshakes (RFC 6455, section 4), made as cheaply as a client can make
 * them, so that a server's handshake rate shows the server and not the generator. Compiled at run
 * time by bench/handshake-rate (gcc -O2); never committed as a binary.
 *
 *   handshake-gen --port P [--host 127.0.0.1] [--connections 10000] [--in-flight 512] [--sources 16]
 *                 [--mode idle|churn] [--close fin|rst] [--prepare yes|no] [--request now|writable] [--hold S]
 *                 [--timeout S] [--server-pid PID]
 *   handshake-gen --self-test
 *
 * One thread, one epoll set, non-blocking sockets. Each connection binds a source address from
 * 127.0.0.2 on (--sources of them, in turn, IP_BIND_ADDRESS_NO_PORT so the port is chosen at
 * connect per 4-tuple), connects, writes its upgrade request at once (on loopback the TCP handshake
 * has usually finished inside connect(); if not, on EPOLLOUT), and reads the answer until the end of
 * its head. The answer must be "HTTP/1.1 101" with a Sec-WebSocket-Accept that is the base64 of the
 * SHA-1 of the request's key and the RFC's GUID; any other answer ends the run at once with exit
 * status 3 and the head on stderr. Keys: a pool of 256 random 16-byte keys (getrandom), their
 * requests and accept values computed at start (SHA-1 and base64 below, checked against FIPS 180
 * and RFC 6455 test vectors before every run).
 *
 * --prepare yes (the default): every socket is made and bound before the measured window, so the
 *   window holds only what the server takes part in (connect, the request, the answer); no: each
 *   socket is made when its connection starts, as the Java generator does.
 * --request now (the default): the request is written right after connect(), so it reaches the
 *   server with (on loopback: just after) the handshake's last ACK, as a client's first segment follows
 *   its ACK on a network; writable: only after epoll reports the connected socket writable, a little
 *   later, as the Java generator (OP_CONNECT, then the write) does.
 * --mode idle (the idle profile's way): open --connections, at most --in-flight handshakes in
 *   progress, every opened connection held; one "opened" line once all are open; held --hold
 *   seconds more (default 1), then all closed and a "closed" line.
 * --mode churn: each connection is closed as soon as its 101 is checked, and the next one started.
 * --close fin: close(): the server reads the end of the stream (read returns 0), as after the idle
 *   profile's Java generator; the client's socket then waits in TIME_WAIT. --close rst: SO_LINGER 0,
 *   then close(): a reset; the server's next read fails with ECONNRESET; no TIME_WAIT on either side.
 *
 * The "opened" line's window runs from just before the first connect to the last checked 101: the
 * handshakes per second, the generator's own CPU per handshake (getrusage), each CPU's busy share
 * and softirq share (/proc/stat), the kernel's listen-queue overflows and drops (/proc/net/netstat),
 * and with --server-pid the server's CPU per handshake (utime+stime of /proc/PID/stat) and the part
 * of it of its JIT compiler threads (C1/C2 CompilerThreadN in /proc/PID/task/TID).
 *
 * Exit status: 0 all opened and checked; 1 connections failed or the timeout passed; 2 usage;
 * 3 a wrong answer to the handshake (status line or Sec-WebSocket-Accept); 4 the self-test failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define KEYS 256
#define HEAD_MAX 1024
#define REQUEST_MAX 256
#define MAX_CPUS 64

static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/* ---- SHA-1 (FIPS 180-4, section 6.1), for messages of any length in one call ---- */

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t h[5], const unsigned char *p) {
    uint32_t w[80];
    for (int t = 0; t < 16; t++) {
        w[t] = (uint32_t) p[4 * t] << 24 | (uint32_t) p[4 * t + 1] << 16 | (uint32_t) p[4 * t + 2] << 8 | p[4 * t + 3];
    }
    for (int t = 16; t < 80; t++) {
        w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
        else if (t < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
        else if (t < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
        else { f = b ^ c ^ d; k = 0xCA62C1D6; }
        uint32_t temp = rol(a, 5) + f + e + k + w[t];
        e = d; d = c; c = rol(b, 30); b = a; a = temp;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

static void sha1(const unsigned char *msg, size_t len, unsigned char out[20]) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64) {
        sha1_block(h, msg + i);
    }
    /* the rest, a 0x80 byte, zeros, and the length in bits (big-endian, 64 bits): one or two blocks */
    unsigned char tail[128] = {0};
    size_t rest = len - full;
    memcpy(tail, msg + full, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t) len * 8;
    for (int i = 0; i < 8; i++) {
        tail[tail_len - 1 - i] = (unsigned char) (bits >> (8 * i));
    }
    sha1_block(h, tail);
    if (tail_len == 128) {
        sha1_block(h, tail + 64);
    }
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char) (h[i] >> 24);
        out[4 * i + 1] = (unsigned char) (h[i] >> 16);
        out[4 * i + 2] = (unsigned char) (h[i] >> 8);
        out[4 * i + 3] = (unsigned char) h[i];
    }
}

/* ---- base64 (RFC 4648, section 4, with padding) ---- */

static void base64(const unsigned char *in, size_t len, char *out) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t) in[i] << 16;
        if (i + 1 < len) v |= (uint32_t) in[i + 1] << 8;
        if (i + 2 < len) v |= in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[o] = 0;
}

/* Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455, section 4.2.2, item 5.4): 28 characters */
static void accept_for(const char *key, char out[29]) {
    unsigned char joined[128], digest[20];
    size_t k = strlen(key);
    memcpy(joined, key, k);
    memcpy(joined + k, GUID, sizeof GUID - 1);
    sha1(joined, k + sizeof GUID - 1, digest);
    base64(digest, 20, out);
}

static int self_test(void) {
    static const struct { const char *msg; const char *hex; } vectors[] = {
        {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    };
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        unsigned char d[20];
        char hex[41];
        sha1((const unsigned char *) vectors[v].msg, strlen(vectors[v].msg), d);
        for (int i = 0; i < 20; i++) sprintf(hex + 2 * i, "%02x", d[i]);
        if (strcmp(hex, vectors[v].hex) != 0) {
            fprintf(stderr, "handshake-gen: self-test: SHA-1(\"%s\") = %s, expected %s\n", vectors[v].msg, hex, vectors[v].hex);
            return 0;
        }
    }
    /* a million 'a': many blocks */
    {
        static unsigned char million[1000000];
        memset(million, 'a', sizeof million);
        unsigned char d[20];
        char hex[41];
        sha1(million, sizeof million, d);
        for (int i = 0; i < 20; i++) sprintf(hex + 2 * i, "%02x", d[i]);
        if (strcmp(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f") != 0) {
            fprintf(stderr, "handshake-gen: self-test: SHA-1 of a million 'a' = %s\n", hex);
            return 0;
        }
    }
    char accept[29];
    accept_for("dGhlIHNhbXBsZSBub25jZQ==", accept); /* RFC 6455, section 1.3 */
    if (strcmp(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != 0) {
        fprintf(stderr, "handshake-gen: self-test: accept of the RFC 6455 example = %s\n", accept);
        return 0;
    }
    return 1;
}

/* ---- measurement ---- */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* this process's user CPU time, in seconds; its system time into *sys */
static double own_cpu(double *sys) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
}

/* per CPU from /proc/stat: total, idle (idle + iowait) and softirq ticks */
struct cpu_ticks { int n; unsigned long long total[MAX_CPUS], idle[MAX_CPUS], softirq[MAX_CPUS]; };

static void read_cpus(struct cpu_ticks *c) {
    c->n = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        int cpu;
        unsigned long long v[10] = {0};
        if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                   &v[6], &v[7]) >= 8 && cpu >= 0 && cpu < MAX_CPUS) {
            c->total[cpu] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7]; /* without guest: in user already */
            c->idle[cpu] = v[3] + v[4];
            c->softirq[cpu] = v[6];
            if (cpu + 1 > c->n) c->n = cpu + 1;
        }
    }
    fclose(f);
}

/* utime + stime (fields 14, 15) of a /proc/.../stat file, in clock ticks; -1 if unreadable */
static long long stat_ticks(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    unsigned long long utime, stime;
    /* after ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
    return (long long) (utime + stime);
}

/* the server's ticks, whole process and its JIT compiler threads */
static void server_ticks(int pid, long long *all, long long *jit) {
    char path[320];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    *all = stat_ticks(path);
    *jit = 0;
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char comm[64] = {0};
        snprintf(path, sizeof path, "/proc/%d/task/%s/comm", pid, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        if (!fgets(comm, sizeof comm, f)) comm[0] = 0;
        fclose(f);
        if (strncmp(comm, "C1 Compiler", 11) == 0 || strncmp(comm, "C2 Compiler", 11) == 0) {
            snprintf(path, sizeof path, "/proc/%d/task/%s/stat", pid, e->d_name);
            long long t = stat_ticks(path);
            if (t > 0) *jit += t;
        }
    }
    closedir(d);
}

/* TcpExt ListenOverflows and ListenDrops from /proc/net/netstat (names line, then values line) */
static void listen_drops(long long *overflows, long long *drops) {
    *overflows = *drops = -1;
    FILE *f = fopen("/proc/net/netstat", "r");
    if (!f) return;
    static char names[8192], values[8192];
    while (fgets(names, sizeof names, f)) {
        if (strncmp(names, "TcpExt:", 7) != 0) continue;
        if (!fgets(values, sizeof values, f)) break;
        char *ns, *vs;
        char *n = strtok_r(names, " \n", &ns), *v = strtok_r(values, " \n", &vs);
        while (n && v) {
            if (strcmp(n, "ListenOverflows") == 0) *overflows = atoll(v);
            if (strcmp(n, "ListenDrops") == 0) *drops = atoll(v);
            n = strtok_r(NULL, " \n", &ns);
            v = strtok_r(NULL, " \n", &vs);
        }
        break;
    }
    fclose(f);
}

struct sample {
    double t, user, sys;
    struct cpu_ticks cpus;
    long long server, jit, overflows, drops;
};

static void take(struct sample *s, int server_pid) {
    s->t = now();
    s->user = own_cpu(&s->sys);
    read_cpus(&s->cpus);
    if (server_pid > 0) server_ticks(server_pid, &s->server, &s->jit);
    listen_drops(&s->overflows, &s->drops);
}

/* one line of key=value pairs for the window from a to b, over n handshakes */
static void report(const char *what, const struct sample *a, const struct sample *b, long n, long failed, int server_pid) {
    double secs = b->t - a->t;
    double tck = (double) sysconf(_SC_CLK_TCK);
    double user = n ? (b->user - a->user) * 1e6 / n : 0.0, sys = n ? (b->sys - a->sys) * 1e6 / n : 0.0;
    printf("%s %ld failed %ld seconds %.3f rate %.0f gen_cpu_us %.2f gen_user_us %.2f gen_sys_us %.2f", what, n, failed,
           secs, n / secs, user + sys, user, sys);
    for (int c = 0; c < b->cpus.n && c < a->cpus.n; c++) {
        double total = (double) (b->cpus.total[c] - a->cpus.total[c]);
        if (total <= 0) continue;
        printf(" cpu%d_busy %.2f cpu%d_softirq %.2f", c, 1.0 - (b->cpus.idle[c] - a->cpus.idle[c]) / total, c,
               (b->cpus.softirq[c] - a->cpus.softirq[c]) / total);
    }
    if (server_pid > 0 && a->server >= 0 && b->server >= 0 && n) {
        printf(" server_cpu_us %.1f server_jit_us %.1f", (b->server - a->server) * 1e6 / tck / n,
               (b->jit - a->jit) * 1e6 / tck / n);
    }
    printf(" listen_overflows %lld listen_drops %lld\n", b->overflows - a->overflows, b->drops - a->drops);
    fflush(stdout);
}

/* ---- the connections ---- */

enum state { FREE, PREPARED, CONNECTING, SENT, OPEN };

struct conn {
    int fd;
    unsigned char state;
    unsigned char key;
    unsigned short sent;
    unsigned short got;
    char head[HEAD_MAX];
};

static char requests[KEYS][REQUEST_MAX];
static int request_len[KEYS];
static char accepts[KEYS][29];

static struct conn *conns;
static int epfd;
static struct sockaddr_in server;
static struct sockaddr_in *sources;
static int source_count = 16;
static int close_rst;
static int request_when_writable;
static long opened, failed, in_flight, open_now, ended;
static char first_error[256];

static void note_error(long index, const char *what, int err) {
    if (!first_error[0]) {
        snprintf(first_error, sizeof first_error, "connection %ld: %s: %s", index, what, err ? strerror(err) : "-");
    }
}

static void end(struct conn *c) {
    if (close_rst) {
        struct linger l = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    close(c->fd);
    c->fd = -1;
    c->state = FREE;
}

static void lose(long index, const char *what, int err) {
    struct conn *c = &conns[index];
    note_error(index, what, err);
    if (c->state == OPEN) {
        open_now--;
        ended++;
    } else {
        in_flight--;
        failed++;
    }
    close(c->fd);
    c->fd = -1;
    c->state = FREE;
}

/* prints the head with control characters escaped, then exits 3 */
static void wrong_answer(long index, const char *why, const char *head, int len) {
    fprintf(stderr, "handshake-gen: connection %ld: %s; the server answered:\n  ", index, why);
    for (int i = 0; i < len; i++) {
        unsigned char ch = (unsigned char) head[i];
        if (ch == '\r') fputs("\\r", stderr);
        else if (ch == '\n') fputs(i + 1 < len ? "\\n\n  " : "\\n", stderr);
        else if (ch < 32 || ch > 126) fprintf(stderr, "\\x%02x", ch);
        else fputc(ch, stderr);
    }
    fputc('\n', stderr);
    exit(3);
}

/* checks a complete head (len bytes up to and including the blank line); exits 3 if wrong */
static void check(long index, const char *head, int len, const char *expected) {
    if (len < 13 || memcmp(head, "HTTP/1.1 101", 12) != 0 || (head[12] != ' ' && head[12] != '\r')) {
        wrong_answer(index, "not \"HTTP/1.1 101\"", head, len);
    }
    const char *line = memchr(head, '\n', len);
    int found = 0;
    while (line && line + 1 < head + len) {
        line++;
        const char *eol = memchr(line, '\n', head + len - line);
        if (!eol) break;
        static const char name[] = "Sec-WebSocket-Accept:";
        if (eol - line >= (long) sizeof name - 1 && strncasecmp(line, name, sizeof name - 1) == 0) {
            const char *v = line + sizeof name - 1, *e = eol;
            while (v < e && (*v == ' ' || *v == '\t')) v++;
            while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) e--;
            if (found || e - v != 28 || memcmp(v, expected, 28) != 0) {
                wrong_answer(index, found ? "two Sec-WebSocket-Accept headers" : "a wrong Sec-WebSocket-Accept", head, len);
            }
            found = 1;
        }
        line = eol;
    }
    if (!found) wrong_answer(index, "no Sec-WebSocket-Accept", head, len);
}

/* the socket of connection index, bound to its source address; 0, or -1 if it failed (counted) */
static int prepare(long index) {
    struct conn *c = &conns[index];
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        note_error(index, "socket", errno);
        failed++;
        return -1;
    }
    c->fd = fd;
    c->state = PREPARED;
    if (source_count > 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *) &sources[index % source_count], sizeof(struct sockaddr_in)) < 0) {
            note_error(index, "bind", errno);
            failed++;
            close(fd);
            c->state = FREE;
            return -1;
        }
    }
    return 0;
}

static void start(long index) {
    struct conn *c = &conns[index];
    if (c->state != PREPARED && prepare(index) < 0) return;
    in_flight++;
    int fd = c->fd;
    c->state = CONNECTING;
    c->sent = c->got = 0;
    c->key = (unsigned char) (index % KEYS);
    if (connect(fd, (struct sockaddr *) &server, sizeof server) < 0 && errno != EINPROGRESS) {
        lose(index, "connect", errno);
        return;
    }
    /* on loopback the TCP handshake has mostly finished inside connect(): write at once (--request
       now), or only once epoll says the socket is writable (--request writable, the Java generator's way) */
    ssize_t w = request_when_writable ? (errno = EAGAIN, -1) : write(fd, requests[c->key], request_len[c->key]);
    struct epoll_event ev = {.data.u64 = (uint64_t) index};
    if (w == request_len[c->key]) {
        c->sent = (unsigned short) w;
        c->state = SENT;
        ev.events = EPOLLIN;
    } else if (w >= 0 || errno == EAGAIN || errno == ENOTCONN) {
        c->sent = (unsigned short) (w > 0 ? w : 0);
        ev.events = EPOLLOUT;
    } else {
        lose(index, "write", errno);
        return;
    }
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        lose(index, "epoll_ctl", errno);
    }
}

static void writable(long index) {
    struct conn *c = &conns[index];
    ssize_t w = write(c->fd, requests[c->key] + c->sent, request_len[c->key] - c->sent);
    if (w < 0) {
        if (errno == EAGAIN) return;
        int err = errno;
        socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        lose(index, "connect or write", err ? err : errno);
        return;
    }
    c->sent += (unsigned short) w;
    if (c->sent == request_len[c->key]) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t) index};
        c->state = SENT;
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    }
}

/* returns 1 when the connection has just opened */
static int readable(long index, int churn) {
    struct conn *c = &conns[index];
    if (c->state == OPEN) { /* an idle connection: nothing is expected; the server's end is counted */
        char scratch[4096];
        ssize_t r = read(c->fd, scratch, sizeof scratch);
        if (r == 0) lose(index, "ended by the server", 0);
        else if (r < 0 && errno != EAGAIN) lose(index, "read after open", errno);
        return 0;
    }
    ssize_t r = read(c->fd, c->head + c->got, HEAD_MAX - c->got);
    if (r == 0) {
        lose(index, "the server ended the connection before its answer was complete", 0);
        return 0;
    }
    if (r < 0) {
        if (errno != EAGAIN) lose(index, "read", errno);
        return 0;
    }
    int from = c->got > 3 ? c->got - 3 : 0;
    c->got += (unsigned short) r;
    char *endp = memmem(c->head + from, c->got - from, "\r\n\r\n", 4);
    if (!endp) {
        if (c->got == HEAD_MAX) wrong_answer(index, "no end of the head in " "1024" " bytes", c->head, c->got);
        return 0;
    }
    check(index, c->head, (int) (endp + 4 - c->head), accepts[c->key]);
    in_flight--;
    opened++;
    if (churn) {
        end(c);
    } else {
        c->state = OPEN;
        open_now++;
    }
    return 1;
}

static void usage(void) {
    fprintf(stderr, "usage: handshake-gen --port P [--host 127.0.0.1] [--connections 10000] [--in-flight 512] "
                    "[--sources 16] [--mode idle|churn] [--close fin|rst] [--prepare yes|no] [--request now|writable]\n"
                    "                     [--hold S] [--timeout S] [--server-pid PID]\n"
                    "       handshake-gen --self-test\n");
    exit(2);
}

/* The value of an option that takes one of two words: 1 for `one`, 0 for `zero`; anything else is a usage error. */
static int choice(const char *v, const char *one, const char *zero) {
    if (strcmp(v, one) == 0) return 1;
    if (strcmp(v, zero) != 0) usage();
    return 0;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 0, server_pid = 0, churn = 0, prepared = 1;
    long connections = 10000, max_in_flight = 512;
    double hold = 1, timeout = 120;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--self-test") == 0) {
            if (!self_test()) return 4;
            printf("self-test passed\n");
            return 0;
        }
        if (!v) usage();
        if (strcmp(a, "--port") == 0) port = atoi(v);
        else if (strcmp(a, "--host") == 0) host = v;
        else if (strcmp(a, "--connections") == 0) connections = atol(v);
        else if (strcmp(a, "--in-flight") == 0) max_in_flight = atol(v);
        else if (strcmp(a, "--sources") == 0) source_count = atoi(v);
        else if (strcmp(a, "--mode") == 0) churn = choice(v, "churn", "idle");
        else if (strcmp(a, "--close") == 0) close_rst = choice(v, "rst", "fin");
        else if (strcmp(a, "--hold") == 0) hold = atof(v);
        else if (strcmp(a, "--timeout") == 0) timeout = atof(v);
        else if (strcmp(a, "--server-pid") == 0) server_pid = atoi(v);
        else if (strcmp(a, "--request") == 0) request_when_writable = choice(v, "writable", "now");
        else if (strcmp(a, "--prepare") == 0) prepared = choice(v, "yes", "no");
        else usage();
        i++;
    }
    if (port <= 0 || port > 65535 || connections <= 0 || max_in_flight <= 0 || source_count < 0 || source_count > 200) usage();
    if (!self_test()) return 4;

    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t) port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1) {
        fprintf(stderr, "handshake-gen: not an IPv4 address: %s\n", host);
        return 2;
    }
    sources = calloc(source_count ? source_count : 1, sizeof *sources);
    for (int s = 0; s < source_count; s++) {
        sources[s].sin_family = AF_INET;
        sources[s].sin_addr.s_addr = htonl(0x7F000002u + (uint32_t) s); /* 127.0.0.2 on */
    }
    for (int k = 0; k < KEYS; k++) {
        unsigned char raw[16];
        char key[25];
        if (getrandom(raw, sizeof raw, 0) != sizeof raw) {
            perror("handshake-gen: getrandom");
            return 1;
        }
        base64(raw, sizeof raw, key);
        accept_for(key, accepts[k]);
        request_len[k] = snprintf(requests[k], REQUEST_MAX,
                                  "GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", host, port, key);
    }
    conns = calloc((size_t) connections, sizeof *conns);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!conns || epfd < 0) {
        perror("handshake-gen: setup");
        return 1;
    }

    if (prepared) { /* every socket made and bound before the window: it then holds what the server takes part in */
        for (long i = 0; i < connections; i++) {
            if (prepare(i) < 0) {
                fprintf(stderr, "handshake-gen: could not make socket %ld of %ld: %s\n", i, connections, first_error);
                return 1;
            }
        }
    }
    struct epoll_event events[1024];
    struct sample s0, s1;
    take(&s0, server_pid);
    long next = 0;
    while (opened + failed < connections) {
        while (in_flight < max_in_flight && next < connections) start(next++);
        if (now() - s0.t > timeout) {
            fprintf(stderr, "handshake-gen: %ld of %ld opened after %.0f s (%ld failed, %ld in flight)%s%s\n", opened,
                    connections, timeout, failed, in_flight, first_error[0] ? ": first error: " : "", first_error);
            return 1;
        }
        int n = epoll_wait(epfd, events, 1024, 100);
        for (int e = 0; e < n; e++) {
            long index = (long) events[e].data.u64;
            if (conns[index].state == FREE) continue;
            if (conns[index].state == CONNECTING) writable(index);
            else readable(index, churn);
        }
    }
    take(&s1, server_pid);
    report(churn ? "churned" : "opened", &s0, &s1, opened, failed, server_pid);

    if (!churn) {
        double until = now() + hold;
        while (now() < until) {
            int n = epoll_wait(epfd, events, 1024, 50);
            for (int e = 0; e < n; e++) {
                long index = (long) events[e].data.u64;
                if (conns[index].state == OPEN) readable(index, 0);
            }
        }
        struct sample c0, c1;
        take(&c0, server_pid);
        long closing = 0;
        for (long i = 0; i < connections; i++) {
            if (conns[i].state == OPEN) {
                end(&conns[i]);
                closing++;
            }
        }
        take(&c1, server_pid);
        report("closed", &c0, &c1, closing, 0, server_pid);
        if (ended) fprintf(stderr, "handshake-gen: %ld connections ended by the server while held\n", ended);
    }
    if (failed) {
        fprintf(stderr, "handshake-gen: %ld of %ld connections failed; first error: %s\n", failed, connections, first_error);
        return 1;
    }
    return 0;
}
