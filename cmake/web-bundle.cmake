# The web app's worker in one classic script, for a page opened from disk
# (file://), where the page can neither start a worker from a file nor fetch
# the module, but can still load a classic script with <script src>:
#
#   cmake -DGLUE=webdoctor.js -DWASM=webdoctor.wasm -DWORKER=web/worker.js
#         -DGZIP=gzip -DBASE64=base64 -DOUT=worker-bundle.js -P cmake/web-bundle.cmake
#
# OUT defines one function, webdoctorWorker(); the page (web/app.js) starts a
# worker from a blob: URL of its source text, "(" + webdoctorWorker + ")()".
# Inside it: the module gzip-compressed and in base64, webdoctorWasm() that
# gives its bytes back (DecompressionStream, in the browser), the module's
# glue (GLUE), then worker.js itself, which sees that the glue and
# webdoctorWasm are already there and imports nothing.
#
# Why the module is compressed inside the script: base64 of the raw module
# is 1.33 times its size and gzip packs it less well than the module itself
# (888 KB module: 358 KB gzip -9; its base64: 1184 KB, 483 KB gzip -9; the
# base64 of its gzip: 478 KB, about as small as that once a host gzips it
# again). Unpacking it in the worker takes a few milliseconds.
foreach(v GLUE WASM WORKER GZIP BASE64 OUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "web-bundle: ${v} is not set")
  endif()
endforeach()

# -n: no name and no time in the gzip header, so the same module gives the
# same bundle
execute_process(COMMAND ${GZIP} -9 -n -c ${WASM}
                COMMAND ${BASE64} -w0
                OUTPUT_VARIABLE wasm_b64 RESULTS_VARIABLE rcs)
foreach(rc ${rcs})
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "web-bundle: cannot compress ${WASM} (${rcs})")
  endif()
endforeach()
if(NOT wasm_b64 MATCHES "^[A-Za-z0-9+/]+=*$")
  message(FATAL_ERROR "web-bundle: base64 gave something else than base64")
endif()
file(READ ${GLUE} glue)
file(READ ${WORKER} worker)

set(head [=[
/* webdoctor's worker for a page opened from disk (file://): worker.js with
 * the module's glue and the module inside it. Written by the build
 * (cmake/web-bundle.cmake); web/app.js starts a worker from this
 * function's source text. */
function webdoctorWorker() {
function webdoctorWasm() {
  const text = atob(webdoctorWasmGzip);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(unpacked).arrayBuffer().then(b => new Uint8Array(b));
}
]=])
file(WRITE ${OUT}.tmp "${head}const webdoctorWasmGzip = '${wasm_b64}';\n${glue}\n${worker}}\n")
file(RENAME ${OUT}.tmp ${OUT})
