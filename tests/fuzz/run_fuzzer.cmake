# Runs one libFuzzer command (everything after `--`) for a `fuzz.<target>`
# test and reports so that the test's output alone is enough to act on:
# libFuzzer's output without its progress lines (what it started from, the
# sanitizer's or the target's report, the final statistics), and every input
# it saved into ARTIFACTS during this run (a crash, leak, timeout or
# out-of-memory), printed in full, with how to replay it and where it goes.
# The whole output stays in LOG.
#
#   cmake -DTARGET=<name> -DARTIFACTS=<folder> -DLOG=<file> -P run_fuzzer.cmake -- <fuzzer> <arguments>...
foreach(var TARGET ARTIFACTS LOG)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${var}=... is missing")
  endif()
endforeach()
set(command)
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "run_fuzzer.cmake: no fuzzer command after --")
endif()
list(GET command 0 fuzzer)

# UBSan only reports and goes on unless told to stop: a finding must stop the run.
if(NOT DEFINED ENV{UBSAN_OPTIONS})
  set(ENV{UBSAN_OPTIONS} "halt_on_error=1:print_stacktrace=1")
endif()
file(MAKE_DIRECTORY ${ARTIFACTS})
string(TIMESTAMP start "%s" UTC)
execute_process(COMMAND ${command} OUTPUT_FILE ${LOG} ERROR_FILE ${LOG} RESULT_VARIABLE rc)

file(READ ${LOG} output)
string(REGEX REPLACE "\n#[0-9]+\t(NEW|REDUCE|RELOAD|pulse)[^\n]*" "" output "${output}")
string(REGEX REPLACE "\n\tNEW_FUNC[^\n]*" "" output "${output}")
message("${output}")

# An input as C-style escaped text: printable ASCII as is, \n (and a line
# break), \t, \\ and \xNN for every other byte.
function(print_input file)
  file(SIZE ${file} size)
  file(READ ${file} hex HEX)
  string(LENGTH "${hex}" n)
  set(text "")
  set(i 0)
  while(i LESS n)
    string(SUBSTRING "${hex}" ${i} 2 byte)
    math(EXPR c "0x${byte}")
    if(c EQUAL 10)
      string(APPEND text "\\n\n")
    elseif(c EQUAL 9)
      string(APPEND text "\\t")
    elseif(c EQUAL 92)
      string(APPEND text "\\\\")
    elseif(c GREATER_EQUAL 32 AND c LESS 127)
      string(ASCII ${c} char)
      string(APPEND text "${char}")
    else()
      string(APPEND text "\\x${byte}")
    endif()
    math(EXPR i "${i} + 2")
  endwhile()
  message("---- ${file} (${size} bytes), escaped:\n${text}\n---- end of input\n"
          "Replay it: ${fuzzer} ${file}\n"
          "With the fix, add it to tests/fuzz/corpus/${TARGET}/ as found-<what it broke> "
          "(docs/contributing.md), so that the suite replays it from then on.")
endfunction()

file(GLOB artifacts ${ARTIFACTS}/*)
set(new_artifacts)
foreach(artifact ${artifacts})
  file(TIMESTAMP ${artifact} written "%s" UTC)
  if(NOT written LESS start)
    list(APPEND new_artifacts ${artifact})
    print_input(${artifact})
  endif()
endforeach()
if(NOT rc EQUAL 0 OR new_artifacts)
  message(FATAL_ERROR "fuzz_${TARGET}: libFuzzer ended with '${rc}' (its whole output: ${LOG})")
endif()
