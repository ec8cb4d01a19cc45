# Static linking of the system libraries the wheel would otherwise need
# (STRATAMEM_STATIC_DEPS): an imported target found above is pointed at its
# library's .a archive when that archive can go into a shared object (is PIC:
# Debian's libssl.a, libcrypto.a and libutf8proc.a are; its libz.a is not).
# Otherwise the shared library stays, and the wheel carries a copy (auditwheel
# repair, scripts/wheel_check.sh); libz.so is allowed by every manylinux policy.
# SQLite is compiled from source instead (cmake/StratamemSqlite.cmake): Debian's
# libsqlite3.a is not PIC either.
include(CheckCSourceCompiles)

# Sets `out` to `archive` when a shared object calling `symbol` links with it.
function(stratamem_pic_archive out archive symbol extra_libs)
  set(CMAKE_REQUIRED_LINK_OPTIONS -shared -fPIC)
  set(CMAKE_REQUIRED_FLAGS -fPIC)
  set(CMAKE_REQUIRED_LIBRARIES ${archive} ${extra_libs})
  set(CMAKE_REQUIRED_QUIET ON)
  string(MAKE_C_IDENTIFIER "STRATAMEM_PIC_${symbol}" var)
  check_c_source_compiles("char ${symbol}(void); char* stratamem_probe(void) { return (char*)${symbol}; }
    int main(void) { return 0; }" ${var})
  if(${var})
    set(${out} ${archive} PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

if(STRATAMEM_STATIC_DEPS)
  find_library(STRATAMEM_UTF8PROC_ARCHIVE NAMES libutf8proc.a HINTS ${UTF8PROC_LIBRARY_DIRS} NO_CACHE)
  if(STRATAMEM_UTF8PROC_ARCHIVE)
    stratamem_pic_archive(_utf8proc_a ${STRATAMEM_UTF8PROC_ARCHIVE} utf8proc_map "")
  endif()
  if(_utf8proc_a)
    set_target_properties(PkgConfig::UTF8PROC PROPERTIES INTERFACE_LINK_LIBRARIES ${_utf8proc_a})
  endif()
  message(STATUS "stratamem: static utf8proc: ${_utf8proc_a}")
endif()

# libstdc++ and libgcc into `target` itself (the extension module, the CLI):
# the wheel then needs no C++ runtime of the machine it lands on. The static
# archives' symbols are kept out of the dynamic symbol table
# (--exclude-libs,ALL): a process that has also loaded the system's
# libstdc++.so (numpy, onnxruntime do) would otherwise bind some of the
# module's calls to that copy and mix two runtimes' locale and RTTI state
# (std::bad_cast, crashes).
function(stratamem_static_runtime target)
  if(STRATAMEM_STATIC_DEPS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT STRATAMEM_SANITIZE)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL)
  endif()
endfunction()
