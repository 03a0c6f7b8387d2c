// libyaml (Debian's libyaml-dev), linked statically (Package.swift) so that the binary needs no libyaml at run time.
#include <yaml.h>
