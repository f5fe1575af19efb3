/* Platform specifiers ("linux/amd64", "arm64", "linux/arm/v7",
 * "windows(10.0.17763)/amd64"), parsed and normalized like containerd's
 * platforms package (platforms.go, database.go), which BuildKit uses for
 * FROM --platform and the TARGETPLATFORM/BUILDPLATFORM values.
 *
 * Grammar: <os>[(<osversion>[+<feature>]*)] | <arch> | <os>/<arch>[/<variant>]
 * A lone word is an OS when it is a known one (the architecture is then the
 * host's), else a known architecture (the OS is then the host's). dflint
 * assumes BuildKit's default host, linux/amd64, as the predefined platform
 * ARGs do. */
#ifndef DFLINT_PLATFORM_H
#define DFLINT_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

/* The host platform dflint assumes (BuildKit's platforms.DefaultSpec()). */
#define DFL_PLATFORM_DEFAULT_OS "linux"
#define DFL_PLATFORM_DEFAULT_ARCH "amd64"

/* All strings malloc'd and NUL-terminated; "" when absent (never NULL after a
 * successful parse). Free with dfl_platform_free. */
typedef struct dfl_platform {
  char *os;           /* normalized: lowercase, "macos" -> "darwin" */
  char *arch;         /* normalized: "x86_64" -> "amd64", "aarch64" -> "arm64" */
  char *variant;      /* normalized: "" for arm/v7, amd64/v1, arm64/v8 */
  char *os_version;   /* "10.0.17763" from "windows(10.0.17763)", or "" */
  char **os_features; /* from "windows(10.0.17763+win32k)", in the order given */
  size_t nos_features;
} dfl_platform;

/* platforms.Parse on s[0..len). Returns 0 and fills *out, or -1 with *out
 * zeroed and, if err is non-NULL, *err = containerd's message (malloc'd),
 * Go-quoted and ending in ": invalid argument", e.g. for "linux/":
 *   "" is an invalid component of "linux/": platform specifier component
 *   must match "^[A-Za-z0-9_.-]+$": invalid argument
 * and for "foo": "foo": unknown operating system or architecture: invalid
 * argument. */
int dfl_platform_parse(const char *s, size_t len, dfl_platform *out, char **err);

/* platforms.Normalize, in place: OS and architecture/variant as Parse leaves
 * them; OS features sorted and deduplicated. */
void dfl_platform_normalize(dfl_platform *p);

/* platforms.Format: "os/arch[/variant]" ("unknown" when os is ""). malloc'd. */
char *dfl_platform_format(const dfl_platform *p);
/* platforms.FormatAll: like Format, with "(version+features)" after the OS
 * when either is set. malloc'd. */
char *dfl_platform_format_all(const dfl_platform *p);

/* Whether containerd knows the OS / architecture (Go's syslist; normalized
 * values). */
bool dfl_platform_known_os(const char *os);
bool dfl_platform_known_arch(const char *arch);

/* Frees the strings and zeroes *p; safe on a zeroed platform. */
void dfl_platform_free(dfl_platform *p);

#endif
