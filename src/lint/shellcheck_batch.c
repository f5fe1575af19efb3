#include "lint/shellcheck_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "lint/shellcheck.h"

/* Scripts per shellcheck process: big enough that its start is small next
 * to the checking, small enough that -j keeps several processes busy and a
 * timeout loses little. */
#define BATCH 200
#define MIN_BATCH 20

typedef struct entry {
  char *text;
  size_t len;
  uint64_t hash;
  char *answer; /* the comments as a JSON array; NULL until checked */
  bool failed;  /* a batch failed on it: the rule checks it again itself */
} entry;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static entry *entries;
static size_t nentries, capentries;
static size_t *slots; /* open addressing: entry index + 1, 0 empty */
static size_t nslots;
static size_t kept_bytes;

static uint64_t hash_of(const char *s, size_t n)
{
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static long find_locked(const char *text, size_t len, uint64_t h)
{
  if (!nslots)
    return -1;
  for (size_t i = h & (nslots - 1);; i = (i + 1) & (nslots - 1)) {
    size_t v = slots[i];
    if (!v)
      return -1;
    const entry *e = &entries[v - 1];
    if (e->hash == h && e->len == len && memcmp(e->text, text, len) == 0)
      return (long)(v - 1);
  }
}

static void grow_slots_locked(void)
{
  size_t n = nslots ? nslots * 2 : 256;
  free(slots);
  slots = dfl_xcalloc(n, sizeof *slots);
  nslots = n;
  for (size_t k = 0; k < nentries; k++) {
    size_t i = entries[k].hash & (n - 1);
    while (slots[i])
      i = (i + 1) & (n - 1);
    slots[i] = k + 1;
  }
}

/* The entry for text, added when absent. */
static size_t intern_locked(const char *text, size_t len)
{
  uint64_t h = hash_of(text, len);
  long at = find_locked(text, len, h);
  if (at >= 0)
    return (size_t)at;
  if (nentries == capentries) {
    capentries = capentries ? capentries * 2 : 256;
    entries = dfl_xrealloc(entries, capentries * sizeof *entries);
  }
  entry *e = &entries[nentries++];
  memset(e, 0, sizeof *e);
  e->text = dfl_xstrndup(text, len);
  e->len = len;
  e->hash = h;
  kept_bytes += len;
  if (nentries * 2 > nslots)
    grow_slots_locked();
  else {
    size_t i = h & (nslots - 1);
    while (slots[i])
      i = (i + 1) & (nslots - 1);
    slots[i] = nentries;
  }
  return nentries - 1;
}

void dfl_shellcheck_want(const char *text, size_t len)
{
  pthread_mutex_lock(&mu);
  intern_locked(text, len);
  pthread_mutex_unlock(&mu);
}

static int write_file(const char *path, const char *data, size_t len)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, data + off, len - off);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      close(fd);
      return -1;
    }
    off += (size_t)n;
  }
  return close(fd);
}

/* One shellcheck process over texts[0..n): out[i] gets script i's comments
 * (malloc'd JSON array text). Returns 0, or -1 with *err and out[] NULL. */
static int run_batch(const char *const *texts, const size_t *lens, size_t n,
                     char **out, char **err)
{
  for (size_t i = 0; i < n; i++)
    out[i] = NULL;
  const char *tmp = getenv("TMPDIR");
  dfl_buf dir;
  dfl_buf_init(&dir);
  dfl_buf_printf(&dir, "%s/dflint-sc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir.data)) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "ShellCheck not run: cannot create a temporary "
                       "directory: %s", strerror(errno));
    *err = dfl_buf_take(&b);
    dfl_buf_free(&dir);
    return -1;
  }
  char **files = dfl_xcalloc(n ? n : 1, sizeof *files);
  size_t written = 0;
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    dfl_buf p;
    dfl_buf_init(&p);
    dfl_buf_printf(&p, "%s/%zu", dir.data, i);
    files[i] = dfl_buf_take(&p);
    written = i + 1;
    if (write_file(files[i], texts[i], lens[i]) != 0) {
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_printf(&b, "ShellCheck not run: cannot write %s: %s", files[i],
                     strerror(errno));
      *err = dfl_buf_take(&b);
      rc = -1;
    }
  }
  char *json = NULL;
  size_t json_len = 0;
  if (rc == 0 && dfl_shellcheck_exec((const char *const *)files, n,
                                     DFL_SHELLCHECK_EXCLUDED, &json,
                                     &json_len, err) != 0)
    rc = -1;
  if (rc == 0) {
    json_t **per = dfl_xcalloc(n ? n : 1, sizeof *per);
    for (size_t i = 0; i < n; i++)
      per[i] = json_array();
    json_t *root = json_loadb(json, json_len, 0, NULL);
    json_t *comments = json_object_get(root, "comments");
    size_t dl = strlen(dir.data), k;
    json_t *c;
    json_array_foreach(comments, k, c)
    {
      const char *file = json_string_value(json_object_get(c, "file"));
      if (!file || strncmp(file, dir.data, dl) != 0 || file[dl] != '/')
        continue;
      char *end;
      unsigned long idx = strtoul(file + dl + 1, &end, 10);
      if (*end || idx >= n)
        continue;
      json_object_del(c, "file"); /* a temporary name: no part of the answer */
      json_array_append(per[idx], c);
    }
    json_decref(root);
    for (size_t i = 0; i < n; i++) {
      out[i] = json_dumps(per[i], JSON_COMPACT);
      json_decref(per[i]);
      if (!out[i])
        abort();
    }
    free(per);
  }
  free(json);
  for (size_t i = 0; i < written; i++) {
    unlink(files[i]);
    free(files[i]);
  }
  free(files);
  rmdir(dir.data);
  dfl_buf_free(&dir);
  return rc;
}

/* ---- flush: the pending scripts, in batches on several threads ---------- */

typedef struct flush_job {
  size_t *idx; /* entry indexes, all batches back to back */
  const char **texts;
  size_t *lens;
  size_t n;
  size_t per_batch;
  atomic_size_t next_batch;
} flush_job;

static void *flush_worker(void *arg)
{
  flush_job *f = arg;
  for (;;) {
    size_t b = atomic_fetch_add(&f->next_batch, 1);
    size_t from = b * f->per_batch;
    if (from >= f->n)
      return NULL;
    size_t cnt = f->n - from < f->per_batch ? f->n - from : f->per_batch;
    char **out = dfl_xcalloc(cnt, sizeof *out);
    char *err = NULL;
    int rc = run_batch(f->texts + from, f->lens + from, cnt, out, &err);
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < cnt; i++) {
      entry *e = &entries[f->idx[from + i]];
      if (rc == 0 && !e->answer) {
        e->answer = out[i];
        kept_bytes += strlen(out[i]);
        out[i] = NULL;
      } else if (rc != 0) {
        e->failed = true;
      }
      free(out[i]);
    }
    pthread_mutex_unlock(&mu);
    free(out);
    free(err); /* the rule checks these scripts again and reports it */
  }
}

void dfl_shellcheck_flush(unsigned threads)
{
  flush_job f;
  memset(&f, 0, sizeof f);
  pthread_mutex_lock(&mu);
  for (size_t i = 0; i < nentries; i++)
    if (!entries[i].answer && !entries[i].failed)
      f.n++;
  f.idx = dfl_xcalloc(f.n ? f.n : 1, sizeof *f.idx);
  f.texts = dfl_xcalloc(f.n ? f.n : 1, sizeof *f.texts);
  f.lens = dfl_xcalloc(f.n ? f.n : 1, sizeof *f.lens);
  size_t k = 0;
  for (size_t i = 0; i < nentries; i++)
    if (!entries[i].answer && !entries[i].failed) {
      f.idx[k] = i;
      /* The text never moves (entries may be reallocated, texts are not)
       * and entries are only freed by dfl_shellcheck_trim, which is not
       * called during a flush. */
      f.texts[k] = entries[i].text;
      f.lens[k] = entries[i].len;
      k++;
    }
  pthread_mutex_unlock(&mu);
  if (f.n) {
    if (threads < 1)
      threads = 1;
    /* Every thread gets work: batches no bigger than an even share, nor
     * smaller than MIN_BATCH (a process start would dominate again). */
    size_t share = (f.n + threads - 1) / threads;
    f.per_batch = share < MIN_BATCH ? MIN_BATCH : share > BATCH ? BATCH : share;
    size_t batches = (f.n + f.per_batch - 1) / f.per_batch;
    if (threads > batches)
      threads = (unsigned)batches;
    if (threads > 64)
      threads = 64;
    pthread_t tids[64];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++)
      if (pthread_create(&tids[started], NULL, flush_worker, &f) == 0)
        started++;
    flush_worker(&f);
    for (unsigned t = 0; t < started; t++)
      pthread_join(tids[t], NULL);
  }
  free(f.idx);
  free(f.texts);
  free(f.lens);
}

int dfl_shellcheck_answers(const char *const *texts, const size_t *lens,
                           size_t n, char **out, char **err)
{
  size_t *miss = dfl_xcalloc(n ? n : 1, sizeof *miss);
  size_t nmiss = 0;
  pthread_mutex_lock(&mu);
  for (size_t i = 0; i < n; i++) {
    long at = find_locked(texts[i], lens[i], hash_of(texts[i], lens[i]));
    if (at >= 0 && entries[at].answer)
      out[i] = dfl_xstrndup(entries[at].answer, strlen(entries[at].answer));
    else {
      out[i] = NULL;
      miss[nmiss++] = i;
    }
  }
  pthread_mutex_unlock(&mu);
  int rc = 0;
  if (nmiss) {
    const char **mt = dfl_xcalloc(nmiss, sizeof *mt);
    size_t *ml = dfl_xcalloc(nmiss, sizeof *ml);
    char **mo = dfl_xcalloc(nmiss, sizeof *mo);
    for (size_t k = 0; k < nmiss; k++) {
      mt[k] = texts[miss[k]];
      ml[k] = lens[miss[k]];
    }
    rc = run_batch(mt, ml, nmiss, mo, err);
    if (rc == 0) {
      pthread_mutex_lock(&mu);
      for (size_t k = 0; k < nmiss; k++) {
        size_t at = intern_locked(mt[k], ml[k]); /* may move entries */
        entry *e = &entries[at];
        if (!e->answer) {
          e->answer = dfl_xstrndup(mo[k], strlen(mo[k]));
          kept_bytes += strlen(mo[k]);
        }
        e->failed = false;
      }
      pthread_mutex_unlock(&mu);
      for (size_t k = 0; k < nmiss; k++)
        out[miss[k]] = mo[k];
    }
    free(mt);
    free(ml);
    free(mo);
  }
  free(miss);
  return rc;
}

void dfl_shellcheck_trim(size_t max_bytes)
{
  pthread_mutex_lock(&mu);
  if (kept_bytes > max_bytes) {
    for (size_t i = 0; i < nentries; i++) {
      free(entries[i].text);
      free(entries[i].answer);
    }
    free(entries);
    free(slots);
    entries = NULL;
    slots = NULL;
    nentries = capentries = nslots = kept_bytes = 0;
  }
  pthread_mutex_unlock(&mu);
}
