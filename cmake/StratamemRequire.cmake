# stratamem_require_package(<found variable> <Debian package> <what it is>):
# a missing build dependency stops the configure with one line naming the
# package to install (README.md, "Building from source", has the equivalents
# for other distributions), instead of find_package's trace of search paths.
# The line goes out unwrapped (NOTICE); CMake's own error that ends the
# configure repeats just the package name.
macro(stratamem_require_package found_var debian_package what)
  if(NOT ${found_var})
    message(NOTICE "stratamem: missing build dependency ${what}: install the Debian/Ubuntu package "
                   "${debian_package} (scripts/setup.sh installs them all; README.md lists other distributions)")
    message(FATAL_ERROR "missing ${debian_package}")
  endif()
endmacro()
