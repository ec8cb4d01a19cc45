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

# stratamem_fetch_source(<dir variable> <script> <what> <option>): third-party
# source pinned by hash (scripts/fetch_*.py) into ${CMAKE_BINARY_DIR}/_deps,
# unless the cache option <option> already names a local copy. A failed fetch
# stops the configure naming what is missing and the option that avoids it.
function(stratamem_fetch_source dir_var script what option)
  if(${option})
    set(${dir_var} ${${option}} PARENT_SCOPE)
    return()
  endif()
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
  get_filename_component(name ${script} NAME_WE)
  string(REPLACE "fetch_" "" name ${name})
  set(dest ${CMAKE_BINARY_DIR}/_deps/${name})
  execute_process(COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/${script} ${dest}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not fetch ${what} (see above); or pass -D${option}=<local copy>")
  endif()
  set(${dir_var} ${dest} PARENT_SCOPE)
endfunction()
