/* Shared by the libFuzzer targets (tests/fuzz/fuzz_*.c) and by
 * tests/test_fuzz_replay.c, which compiles every target into one program
 * with DFL_FUZZ_REPLAY defined to replay testdata/fuzz-regressions/ through
 * the normal build. Each target defines its entry point with
 * DFL_FUZZ_TARGET(name): LLVMFuzzerTestOneInput in a fuzzer build, the
 * function dfl_fuzz_<name> in the replay build. */
#ifndef DFLINT_FUZZ_COMMON_H
#define DFLINT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef DFL_FUZZ_REPLAY
#define DFL_FUZZ_TARGET(name) int dfl_fuzz_##name(const uint8_t *data, size_t size)
#else
#define DFL_FUZZ_TARGET(name)                                       \
  int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);     \
  int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* Splits inputs that carry several strings: the next piece of [*p, end) up
 * to (not including) sep, or the rest. Advances *p past the separator. */
static inline const char *dfl_fuzz_next(const char **p, const char *end,
                                        char sep, size_t *len)
{
  const char *s = *p;
  const char *e = memchr(s, sep, (size_t)(end - s));
  if (!e)
    e = end;
  *len = (size_t)(e - s);
  *p = e < end ? e + 1 : end;
  return s;
}

#endif
