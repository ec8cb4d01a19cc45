"""Prints the build directory of this Python environment, e.g.
build/cp311-linux_x86_64-1a2b3c4d: one per interpreter and virtualenv, so two
environments building from one checkout never share (and clobber) a CMake cache,
and each one's rebuilds are incremental. Used by the Makefile."""
import hashlib
import sys
import sysconfig

tag = f"cp{sys.version_info[0]}{sys.version_info[1]}-{sysconfig.get_platform().replace('-', '_')}"
print(f"build/{tag}-{hashlib.sha256(sys.prefix.encode()).hexdigest()[:8]}")
