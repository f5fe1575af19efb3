#include "dflint/io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dflint/arena.h"
#include "dflint/buf.h"

enum { DFL_FIFO_WAIT_MS = 30000 };

static int fail(char **err, const char *path, const char *what)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s: %s", path, what);
  *err = dfl_buf_take(&b);
  return -1;
}

int dfl_read_input(const char *path, size_t max_bytes, char **data,
                   size_t *len, char **err)
{
  *data = NULL;
  *len = 0;
  *err = NULL;
  int fd;
  bool is_stdin = strcmp(path, "-") == 0;
  if (is_stdin) {
    fd = STDIN_FILENO;
  } else {
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
      return fail(err, path, strerror(errno));
    /* Opened non-blocking so a FIFO without a writer cannot hang the open;
     * reads then block as usual. */
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!is_stdin)
      close(fd);
    return fail(err, path, "is a directory");
  }
  if (S_ISFIFO(st.st_mode) && !is_stdin) {
    /* Opened non-blocking, a FIFO with no writer yet would read as empty:
     * wait (bounded) until a writer has sent something or closed. */
    struct pollfd pfd = {fd, POLLIN, 0};
    int waited = poll(&pfd, 1, DFL_FIFO_WAIT_MS);
    if (waited == 0) {
      close(fd);
      return fail(err, path, "no writer on this FIFO after 30 s");
    }
  }
  size_t cap = 64 * 1024;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    if ((unsigned long long)st.st_size > max_bytes) {
      if (!is_stdin)
        close(fd);
      char msg[96];
      snprintf(msg, sizeof msg, "larger than the %zu MiB limit",
               max_bytes / (1024 * 1024));
      return fail(err, path, msg);
    }
    cap = (size_t)st.st_size + 1;
  }
  char *buf = dfl_xmalloc(cap + 1);
  size_t n = 0;
  for (;;) {
    if (n == cap) {
      if (cap > max_bytes) {
        free(buf);
        if (!is_stdin)
          close(fd);
        char msg[96];
        snprintf(msg, sizeof msg, "larger than the %zu MiB limit",
                 max_bytes / (1024 * 1024));
        return fail(err, path, msg);
      }
      cap *= 2;
      buf = dfl_xrealloc(buf, cap + 1);
    }
    ssize_t got = read(fd, buf + n, cap - n);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      free(buf);
      if (!is_stdin)
        close(fd);
      return fail(err, path, strerror(e));
    }
    if (got == 0)
      break;
    n += (size_t)got;
  }
  if (!is_stdin)
    close(fd);
  if (n > max_bytes) {
    free(buf);
    char msg[96];
    snprintf(msg, sizeof msg, "larger than the %zu MiB limit",
             max_bytes / (1024 * 1024));
    return fail(err, path, msg);
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return 0;
}
