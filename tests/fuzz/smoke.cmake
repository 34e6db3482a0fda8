# The `fuzz.smoke` test of the ordinary (GCC) builds, so that CI fuzzes: builds
# the fuzz targets in their own clang tree with the `fuzz` preset's settings
# (libFuzzer, ASan, UBSan), then runs that tree's `fuzz` tests: each target
# fuzzed for SECONDS (run_fuzzer.cmake prints any input that fails) and its
# corpus replayed under the sanitizers. Fails on any finding.
#
#   cmake -DSOURCE_DIR=<repository> -DBINARY_DIR=<clang tree> -DSECONDS=<n> -P smoke.cmake
foreach(var SOURCE_DIR BINARY_DIR SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "smoke.cmake: -D${var}=... is missing")
  endif()
endforeach()
find_program(clangxx clang++)
if(NOT clangxx)
  message(FATAL_ERROR "fuzz.smoke: no clang++; the fuzz targets need clang and its libFuzzer "
                      "(Debian 12: clang, libclang-rt-14-dev; `./setup.sh --test` installs them)")
endif()

function(step what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fuzz.smoke: ${what} failed (${rc}):\n${out}")
  endif()
endfunction()
step("configuring ${BINARY_DIR} with the fuzz preset"
     ${CMAKE_COMMAND} --preset fuzz -B ${BINARY_DIR} -DRURALSIM_FUZZ_SECONDS=${SECONDS})
step("building the fuzz targets"
     ${CMAKE_COMMAND} --build ${BINARY_DIR} --target fuzz_scenario fuzz_set fuzz_sweep fuzz_counties)
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${BINARY_DIR} -L fuzz
                        --output-on-failure --no-tests=error
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz.smoke: a fuzz target found something (above)")
endif()
