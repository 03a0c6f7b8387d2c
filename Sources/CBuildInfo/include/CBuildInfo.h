#ifndef LOOKOUT_BUILD_INFO_H
#define LOOKOUT_BUILD_INFO_H

/// The version `git describe` gave when the binary was built (scripts/version.sh writes it before make builds),
/// or "unknown" for a plain `swift build` in a tree make never prepared.
const char *lookout_build_version(void);

#endif
