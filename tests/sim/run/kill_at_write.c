/* Preloaded into a program (LD_PRELOAD) by the kill tests: counts the write
 * calls to files named *.partial or *.partial.new (a run's output while it is
 * written) and kills the process with SIGKILL just before the N-th, so that a
 * test can stop a run between any two of its writes, which is where a real
 * `kill -9` leaves a file.
 *   RURALSIM_KILL_AT_WRITE=N         kill before the N-th write (1-based)
 *   RURALSIM_COUNT_WRITES_TO=FILE    write the number of writes there at exit */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long target = -2;
static long count = 0;

static int ends_with(const char* s, size_t n, const char* suffix) {
  const size_t k = strlen(suffix);
  return n > k && strcmp(s + n - k, suffix) == 0;
}

static int is_output(int fd) {
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  return ends_with(path, (size_t)n, ".partial") || ends_with(path, (size_t)n, ".partial.new");
}

static void before_write(int fd) {
  if (target == -2) {
    const char* t = getenv("RURALSIM_KILL_AT_WRITE");
    target = t ? atol(t) : -1;
  }
  if (!is_output(fd)) return;
  if (++count == target) raise(SIGKILL);
}

__attribute__((destructor)) static void report(void) {
  const char* f = getenv("RURALSIM_COUNT_WRITES_TO");
  if (!f) return;
  FILE* out = fopen(f, "w");
  if (!out) return;
  fprintf(out, "%ld\n", count);
  fclose(out);
}

typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*write_fn)(int, const void*, size_t);

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  static pwrite_fn real;
  if (!real) real = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite");
  before_write(fd);
  return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
  static pwrite_fn real;
  if (!real) real = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite64");
  before_write(fd);
  return real(fd, buf, n, off);
}

ssize_t write(int fd, const void* buf, size_t n) {
  static write_fn real;
  if (!real) real = (write_fn)dlsym(RTLD_NEXT, "write");
  before_write(fd);
  return real(fd, buf, n);
}
