# Print the web app's size, whole and compressed (gzip -9, as a static host
# sends it), and fail above the budget:
#   cmake -DDIR=build/web-app -DGZIP=gzip -DBUDGET=bytes -P cmake/web-size.cmake
file(GLOB files ${DIR}/*)
set(raw 0)
set(packed 0)
foreach(f ${files})
  file(SIZE ${f} n)
  math(EXPR raw "${raw} + ${n}")
  execute_process(COMMAND ${GZIP} -9 -c ${f} COMMAND wc -c OUTPUT_VARIABLE z RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "web: cannot compress ${f}")
  endif()
  math(EXPR packed "${packed} + ${z}")
endforeach()
list(LENGTH files nfiles)
message("web app: ${DIR}: ${nfiles} files, ${raw} bytes, ${packed} bytes compressed (gzip -9); budget ${BUDGET}")
if(packed GREATER BUDGET)
  message(FATAL_ERROR "web: the app is over its size budget (${packed} > ${BUDGET} bytes compressed)")
endif()
