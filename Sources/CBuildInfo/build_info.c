#include "CBuildInfo.h"

// version.h is written by scripts/version.sh (make runs it before every build) and kept out of git.
#if __has_include("version.h")
#include "version.h"
#endif
#ifndef LOOKOUT_VERSION
#define LOOKOUT_VERSION "unknown (built without make: 'make build' or scripts/version.sh --write names it)"
#endif

const char *lookout_build_version(void) { return LOOKOUT_VERSION; }
