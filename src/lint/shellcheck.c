/* Spawning shellcheck: posix_spawn (no shell, no PATH search at spawn time),
 * stdin from /dev/null, stdout and stderr through close-on-exec pipes read
 * with poll() against a deadline. The pipes must be close-on-exec: with -j,
 * another thread's child would otherwise inherit our write ends and we would
 * wait for its exit instead of ours. */
#define _GNU_SOURCE /* pipe2 */
#include "lint/shellcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dflint/arena.h"
#include "dflint/buf.h"

extern char **environ;

#define MAX_OUT ((size_t)256 << 20)
#define MAX_ERR ((size_t)64 << 10)

static char *found_path;
static pthread_once_t found_once = PTHREAD_ONCE_INIT;

static bool executable(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

static char *search_path(const char *name)
{
  if (strchr(name, '/'))
    return executable(name) ? dfl_xstrndup(name, strlen(name)) : NULL;
  const char *path = getenv("PATH");
  if (!path)
    path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    const char *colon = strchr(path, ':');
    size_t n = colon ? (size_t)(colon - path) : strlen(path);
    dfl_buf b;
    dfl_buf_init(&b);
    /* An empty PATH entry means the working directory. */
    if (n)
      dfl_buf_append(&b, path, n);
    else
      dfl_buf_putc(&b, '.');
    dfl_buf_printf(&b, "/%s", name);
    if (executable(dfl_buf_cstr(&b)))
      return dfl_buf_take(&b);
    dfl_buf_free(&b);
    if (!colon)
      break;
    path = colon + 1;
  }
  return NULL;
}

static void find_once(void)
{
  const char *env = getenv("DFLINT_SHELLCHECK");
  found_path = search_path(env && *env ? env : "shellcheck");
}

const char *dfl_shellcheck_path(void)
{
  pthread_once(&found_once, find_once);
  return found_path;
}

double dfl_shellcheck_timeout(void)
{
  const char *t = getenv("DFLINT_SHELLCHECK_TIMEOUT");
  if (t && *t) {
    char *end;
    double v = strtod(t, &end);
    if (*end == '\0' && v > 0 && v < 1e6)
      return v;
  }
  return 60.0;
}

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *fmt_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *fmt_error(const char *fmt, ...)
{
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return dfl_buf_take(&b);
}

/* The first line of what the program wrote to stderr, for messages. */
static void first_line(dfl_buf *b, const dfl_buf *err)
{
  if (!err->len)
    return;
  size_t n = strcspn(err->data, "\n");
  if (n > 200)
    n = 200;
  dfl_buf_puts(b, ": ");
  dfl_buf_append(b, err->data, n);
}

/* Reads whatever is ready on fd into b; returns false at end of file (or an
 * error), after which the caller stops polling it. */
static bool drain(int fd, dfl_buf *b, size_t cap, bool *over)
{
  char chunk[65536];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n < 0)
    return errno == EINTR || errno == EAGAIN;
  if (n == 0)
    return false;
  if (b->len + (size_t)n > cap)
    *over = true;
  else
    dfl_buf_append(b, chunk, (size_t)n);
  return true;
}

int dfl_shellcheck_exec(const char *const *files, size_t nfiles,
                        const char *exclude, char **out, size_t *out_len,
                        char **err)
{
  *out = NULL;
  *out_len = 0;
  *err = NULL;
  const char *exe = dfl_shellcheck_path();
  if (!exe) {
    *err = fmt_error("shellcheck is not installed (not found on PATH)");
    return -1;
  }
  size_t argc = 0;
  char **argv = dfl_xcalloc(nfiles + 9, sizeof *argv);
  argv[argc++] = (char *)exe;
  /* No ~/.shellcheckrc or .shellcheckrc next to the temporary files: the
   * findings depend on the Dockerfile and dflint's configuration only. */
  argv[argc++] = "--norc";
  argv[argc++] = "-f";
  argv[argc++] = "json1";
  if (exclude && *exclude) {
    argv[argc++] = "-e";
    argv[argc++] = (char *)exclude;
  }
  argv[argc++] = "--";
  for (size_t i = 0; i < nfiles; i++)
    argv[argc++] = (char *)files[i];
  argv[argc] = NULL;

  int po[2] = {-1, -1}, pe[2] = {-1, -1};
  if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
    *err = fmt_error("cannot create a pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
      if (po[i] >= 0)
        close(po[i]);
      if (pe[i] >= 0)
        close(pe[i]);
    }
    free(argv);
    return -1;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, po[1], 1);
  posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  /* The CLI ignores SIGPIPE; ignored signals survive exec, so give the
   * child the default disposition and an empty mask. */
  sigset_t def, none;
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&at, &def);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid;
  int rc = posix_spawn(&pid, exe, &fa, &at, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  free(argv);
  close(po[1]);
  close(pe[1]);
  if (rc != 0) {
    close(po[0]);
    close(pe[0]);
    *err = fmt_error("cannot run %s: %s", exe, strerror(rc));
    return -1;
  }

  dfl_buf ob, eb;
  dfl_buf_init(&ob);
  dfl_buf_init(&eb);
  bool over = false, timed_out = false;
  double limit = dfl_shellcheck_timeout();
  double deadline = now_seconds() + limit;
  struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
  bool open_o = true, open_e = true;
  while ((open_o || open_e) && !over) {
    double left = deadline - now_seconds();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    fds[0].fd = open_o ? po[0] : -1;
    fds[1].fd = open_e ? pe[0] : -1;
    int ms = left > 1000 ? 1000000 : (int)(left * 1000) + 1;
    int n = poll(fds, 2, ms);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (open_o && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
      open_o = drain(po[0], &ob, MAX_OUT, &over);
    if (open_e && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      bool ignored = false;
      open_e = drain(pe[0], &eb, MAX_ERR, &ignored);
    }
  }
  bool killed = timed_out || over || open_o || open_e;
  if (killed)
    kill(pid, SIGKILL);
  close(po[0]);
  close(pe[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
    ;

  int result = -1;
  dfl_buf msg;
  dfl_buf_init(&msg);
  if (timed_out) {
    dfl_buf_printf(&msg, "shellcheck did not finish within %g seconds "
                         "(DFLINT_SHELLCHECK_TIMEOUT) and was stopped",
                   limit);
  } else if (over) {
    dfl_buf_printf(&msg, "shellcheck wrote more than %zu MiB and was stopped",
                   MAX_OUT >> 20);
  } else if (killed) {
    dfl_buf_printf(&msg, "reading shellcheck's output failed");
  } else if (WIFSIGNALED(st)) {
    dfl_buf_printf(&msg, "shellcheck was killed by signal %d",
                   WTERMSIG(st));
    first_line(&msg, &eb);
  } else if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
    /* 0: no findings, 1: findings; 2 and up: it could not check. */
    dfl_buf_printf(&msg, "shellcheck failed (exit status %d)",
                   WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    first_line(&msg, &eb);
  } else {
    result = 0;
  }
  if (result == 0) {
    *out_len = ob.len;
    *out = ob.data ? dfl_buf_take(&ob) : dfl_xstrndup("", 0);
    dfl_buf_free(&msg);
  } else {
    *err = dfl_buf_take(&msg);
  }
  dfl_buf_free(&ob);
  dfl_buf_free(&eb);
  return result;
}
