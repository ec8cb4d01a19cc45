# SQLite, compiled into the engine from its amalgamation (sqlite3.c), so the
# module and the CLI need no libsqlite3 from the system. The amalgamation comes
# from the crates.io crate libsqlite3-sys, by name with a pinned version and
# sha256 (scripts/fetch_sqlite.py), into the build tree; or from
# -DSTRATAMEM_SQLITE_DIR=<dir with sqlite3.c and sqlite3.h> (offline builds).
# Defines `stratamem_sqlite3` (the objects, folded into libstratamem.a) and
# `stratamem_sqlite` (its header and link needs, for targets calling sqlite3_*).
set(STRATAMEM_SQLITE_DIR "" CACHE PATH "Directory with sqlite3.c and sqlite3.h (fetched from crates.io when empty)")
stratamem_fetch_source(sqlite_dir fetch_sqlite.py "the SQLite amalgamation from crates.io" STRATAMEM_SQLITE_DIR)
if(NOT EXISTS ${sqlite_dir}/sqlite3.c OR NOT EXISTS ${sqlite_dir}/sqlite3.h)
  message(FATAL_ERROR "STRATAMEM_SQLITE_DIR=${sqlite_dir} has no sqlite3.c and sqlite3.h")
endif()

# The compile options: what the store needs (FTS5; JSON is built in since
# 3.38), what Debian's libsqlite3 did that the engine's behaviour depends on
# (file: URIs, secure delete, 250,000 bound variables, math functions), and the
# platform facts a plain compile of sqlite3.c would not assume (usleep: without
# it a busy wait sleeps whole seconds). Listed in docs/format.md.
set(STRATAMEM_SQLITE_OPTIONS
  SQLITE_ENABLE_FTS5 SQLITE_ENABLE_MATH_FUNCTIONS SQLITE_THREADSAFE=1 SQLITE_USE_URI=1
  SQLITE_SECURE_DELETE SQLITE_MAX_VARIABLE_NUMBER=250000 SQLITE_LIKE_DOESNT_MATCH_BLOBS
  SQLITE_OMIT_LOAD_EXTENSION
  HAVE_USLEEP=1 HAVE_FDATASYNC=1 HAVE_LOCALTIME_R=1 HAVE_GMTIME_R=1 HAVE_ISNAN=1 HAVE_STRCHRNUL=1)
add_library(stratamem_sqlite3 OBJECT ${sqlite_dir}/sqlite3.c)
target_compile_definitions(stratamem_sqlite3 PRIVATE ${STRATAMEM_SQLITE_OPTIONS})
# Hidden: a process that has loaded the system's libsqlite3 too (Python's
# sqlite3 module) keeps the two apart. -O2 whatever the build type: SQLite is
# not what a Debug build is for. Its warnings are not ours to fix.
set_target_properties(stratamem_sqlite3 PROPERTIES C_VISIBILITY_PRESET hidden POSITION_INDEPENDENT_CODE ON)
target_compile_options(stratamem_sqlite3 PRIVATE -O2 -w)
# Sanitizer and fuzzer builds leave SQLite uninstrumented, as the system library
# it replaces was: its documented benign races (double-checked initialisation)
# would stop the ThreadSanitizer run, and coverage of its 250,000 lines would
# only dilute the fuzzers' feedback on our code.
if(STRATAMEM_SANITIZE OR STRATAMEM_BUILD_FUZZ)
  target_compile_options(stratamem_sqlite3 PRIVATE -fno-sanitize=all)
endif()

add_library(stratamem_sqlite INTERFACE)
target_include_directories(stratamem_sqlite SYSTEM INTERFACE $<BUILD_INTERFACE:${sqlite_dir}>)
target_link_libraries(stratamem_sqlite INTERFACE m Threads::Threads)
