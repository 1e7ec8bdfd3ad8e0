# The web app: webdoctor's library compiled to WebAssembly with emcc, and the
# page that runs it (web/). `cmake --build build --target web` writes
# build/web-app/, a folder of static files any host can serve (or open it
# with `webdoctor serve --app`).
#
# emcc is called directly, one custom command per source file, rather than
# through a second CMake project configured with Emscripten's toolchain:
# Debian's Emscripten 3.1.6 is slow to start, and a CMake configure (compiler
# checks, libzip's ~60 feature checks) took minutes on two cores, where
# these commands take seconds and run in parallel with -j2.
#
# The C libraries the library uses come from Debian 12 source packages
# (scripts/web-sources fetches and unpacks them into web/deps, git-ignored):
# cJSON, zlib, libzip (zips are read in the page by the same libzip code as
# by the CLI, so a zip and a damaged zip get the same findings), and the
# decoders of brotli and zstd (precompressed copies). libzip's config.h and
# zipconf.h are written from its own templates with the facts of
# Emscripten's libc (wasm32: 4-byte size_t, 8-byte off_t), instead of its
# configure checks.
#
# Messages: po/zh_CN.po is compiled by msgfmt into a .mo catalogue at build
# time and embedded as a C array (cmake/embed.cmake); the web build's _()
# looks messages up in it (src/common/i18n.c, WD_MO_NLS). The page's own
# texts (web/app.js, web/worker.js, marked _() and N_()) come from the same
# po/<lang>.po files: xgettext extracts them, msgmerge keeps only those
# entries of each .po, msgfmt compiles them and cmake/web-catalogue.py
# writes them into catalogue.js, a classic script the page loads before
# app.js (so it works opened from disk, and without the worker).

find_program(WD_EMCC emcc)
find_program(WD_MSGFMT msgfmt)
find_program(WD_GZIP gzip)
find_program(WD_BASE64 base64)
find_program(WD_XGETTEXT xgettext)
find_program(WD_MSGMERGE msgmerge)
find_program(WD_PYTHON python3)
set(WD_WEB_DEPS "${CMAKE_SOURCE_DIR}/web/deps" CACHE PATH
    "Unpacked Debian source packages for the web build (scripts/web-sources)")

if(NOT WD_EMCC OR NOT WD_MSGFMT OR NOT WD_XGETTEXT OR NOT WD_MSGMERGE OR NOT WD_PYTHON OR NOT WD_GZIP
   OR NOT WD_BASE64)
  add_custom_target(web
    COMMAND ${CMAKE_COMMAND} -E echo "web: needs emcc (Debian package emscripten), xgettext, msgmerge, msgfmt, python3, gzip and base64"
    COMMAND ${CMAKE_COMMAND} -E false)
  return()
endif()

set(web_build ${CMAKE_BINARY_DIR}/web-build)
set(web_app ${CMAKE_BINARY_DIR}/web-app)
file(MAKE_DIRECTORY ${web_build}/include/cjson ${web_build}/obj)

# The unpacked source folder of a package (scripts/web-sources writes its
# name into DEPS/<package>.dir).
function(wd_web_dep pkg var)
  set(stamp ${WD_WEB_DEPS}/${pkg}.dir)
  if(NOT EXISTS ${stamp})
    set(${var} "" PARENT_SCOPE)
    return()
  endif()
  file(STRINGS ${stamp} dir LIMIT_COUNT 1)
  set(${var} ${WD_WEB_DEPS}/${dir} PARENT_SCOPE)
endfunction()
foreach(pkg cjson zlib libzip brotli libzstd)
  wd_web_dep(${pkg} dir_${pkg})
  if(NOT dir_${pkg} OR NOT IS_DIRECTORY "${dir_${pkg}}")
    add_custom_target(web
      COMMAND ${CMAKE_COMMAND} -E echo "web: the sources of ${pkg} are not in ${WD_WEB_DEPS}: run scripts/web-sources, then cmake again"
      COMMAND ${CMAKE_COMMAND} -E false)
    return()
  endif()
endforeach()

# ---- headers the libraries need --------------------------------------------
configure_file(${dir_cjson}/cJSON.h ${web_build}/include/cjson/cJSON.h COPYONLY)
# libzip: its templates, with Emscripten's libc facts
foreach(v HAVE_FILENO HAVE_FSEEKO HAVE_FTELLO HAVE_LOCALTIME_R HAVE_MKSTEMP HAVE_SNPRINTF
          HAVE_STRCASECMP HAVE_STRDUP HAVE_STRTOLL HAVE_STRTOULL HAVE_STRUCT_TM_TM_ZONE HAVE_STDBOOL_H
          HAVE_STRINGS_H HAVE_UNISTD_H HAVE_DIRENT_H ZIP_STATIC)
  set(${v} 1)
endforeach()
set(SIZEOF_OFF_T 8)
set(SIZEOF_SIZE_T 4)
set(libzip_VERSION 1.7.3)
set(libzip_VERSION_MAJOR 1)
set(libzip_VERSION_MINOR 7)
set(libzip_VERSION_PATCH 3)
# no nullability annotations: Debian's patch adds a declaration without them,
# which clang's -Wnullability-completeness (an error under -Werror) refuses
set(ZIP_NULLABLE_DEFINES "#define _Nullable\n#define _Nonnull")
set(LIBZIP_TYPES_INCLUDE "#include <stdint.h>")
foreach(b 8 16 32 64)
  set(ZIP_INT${b}_T int${b}_t)
  set(ZIP_UINT${b}_T uint${b}_t)
endforeach()
set(web_zip_cfg ${web_build}/libzip)
file(MAKE_DIRECTORY ${web_zip_cfg})
set(saved_name ${CMAKE_PROJECT_NAME})
set(saved_version ${CMAKE_PROJECT_VERSION})
set(CMAKE_PROJECT_NAME libzip)
set(CMAKE_PROJECT_VERSION 1.7.3)
configure_file(${dir_libzip}/cmake-config.h.in ${web_zip_cfg}/config.h)
set(CMAKE_PROJECT_NAME ${saved_name})
set(CMAKE_PROJECT_VERSION ${saved_version})
configure_file(${dir_libzip}/cmake-zipconf.h.in ${web_zip_cfg}/zipconf.h)
# zip_err_str.c from zip.h, as libzip's lib/CMakeLists.txt makes it
file(READ ${dir_libzip}/lib/zip.h zip_h)
string(REGEX MATCHALL "#define ZIP_ER_([A-Z_]+) ([0-9]+)[ \t]+/([-*0-9a-zA-Z ']*)/" zip_h_err "${zip_h}")
set(zip_err_str "/* Generated by the build (cmake/web.cmake) from libzip's zip.h. */\n#include \"zipint.h\"\n\nconst char * const _zip_err_str[] = {\n")
set(zip_err_type "")
foreach(errln ${zip_h_err})
  string(REGEX MATCH "#define ZIP_ER_([A-Z_]+) ([0-9]+)[ \t]+/([-*0-9a-zA-Z ']*)/" err_t_tt "${errln}")
  string(REGEX MATCH "([N|S|Z]+) ([-0-9a-zA-Z ']*)" err_t_tt "${CMAKE_MATCH_3}")
  string(APPEND zip_err_type "    ${CMAKE_MATCH_1},\n")
  string(STRIP "${CMAKE_MATCH_2}" err_t_tt)
  string(APPEND zip_err_str "    \"${err_t_tt}\",\n")
endforeach()
string(APPEND zip_err_str "};\n\nconst int _zip_nerr_str = sizeof(_zip_err_str)/sizeof(_zip_err_str[0]);\n\n#define N ZIP_ET_NONE\n#define S ZIP_ET_SYS\n#define Z ZIP_ET_ZLIB\n\nconst int _zip_err_type[] = {\n${zip_err_type}};\n")
file(CONFIGURE OUTPUT ${web_zip_cfg}/zip_err_str.c CONTENT "${zip_err_str}" @ONLY)

# ---- sources -----------------------------------------------------------------
set(dep_includes -I${web_build}/include -I${web_zip_cfg} -I${dir_libzip}/lib -I${dir_zlib}
    -I${dir_brotli}/c/include -I${dir_libzstd}/lib)
set(web_zlib_sources)
foreach(f adler32 compress crc32 deflate infback inffast inflate inftrees trees uncompr zutil)
  list(APPEND web_zlib_sources ${dir_zlib}/${f}.c)
endforeach()
file(GLOB web_zip_sources ${dir_libzip}/lib/zip_*.c)
list(FILTER web_zip_sources EXCLUDE REGEX "zip_(algorithm_(bzip2|xz|zstd)|crypto_|winzip_aes|source_winzip_aes|random_(uwp|win32)|source_file_win32)")
list(APPEND web_zip_sources ${web_zip_cfg}/zip_err_str.c)
file(GLOB brotli_sources ${dir_brotli}/c/common/*.c ${dir_brotli}/c/dec/*.c)
set(web_zstd_sources)
foreach(f common/entropy_common common/error_private common/fse_decompress common/xxhash common/zstd_common
          common/debug decompress/huf_decompress decompress/zstd_ddict decompress/zstd_decompress
          decompress/zstd_decompress_block)
  list(APPEND web_zstd_sources ${dir_libzstd}/lib/${f}.c)
endforeach()

# The library without what needs a network or a server (net, serve) and
# without deploy (`headers` has no place in the page), and the app's entry
# points.
file(GLOB web_lib_sources CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/src/common/*.c ${CMAKE_SOURCE_DIR}/src/wasm/*.c ${CMAKE_SOURCE_DIR}/src/link/*.c
  ${CMAKE_SOURCE_DIR}/src/godot/*.c ${CMAKE_SOURCE_DIR}/src/finding/*.c ${CMAKE_SOURCE_DIR}/src/check/*.c
  ${CMAKE_SOURCE_DIR}/src/report/*.c ${CMAKE_SOURCE_DIR}/src/fix/*.c ${CMAKE_SOURCE_DIR}/src/webapp/*.c)

# the zh_CN catalogue, compiled and embedded: only the messages of the
# sources compiled here (xgettext on them, as the pot target does, then
# msgmerge keeps those entries of po/zh_CN.po), not those of the CLI, net,
# serve, deploy or the page: 137 KB instead of 219 KB in the module, 28 KB
# less compressed in webdoctor.wasm and again in worker-bundle.js
set(web_msg_sources ${web_lib_sources} ${CMAKE_SOURCE_DIR}/src/finding/catalogue.def)
add_custom_command(OUTPUT ${web_build}/zh_CN.mo
  COMMAND ${WD_XGETTEXT} ${WD_XGETTEXT_C} --output=${web_build}/lib.pot ${web_msg_sources}
  COMMAND ${WD_MSGMERGE} --quiet --no-fuzzy-matching --output-file=${web_build}/lib-zh_CN.po
          ${CMAKE_SOURCE_DIR}/po/zh_CN.po ${web_build}/lib.pot
  COMMAND ${WD_MSGFMT} --check-format -o ${web_build}/zh_CN.mo ${web_build}/lib-zh_CN.po
  DEPENDS ${CMAKE_SOURCE_DIR}/po/zh_CN.po ${web_msg_sources}
  COMMENT "web: compiling po/zh_CN.po (the messages of the module's sources)"
  VERBATIM)
add_custom_command(OUTPUT ${web_build}/wd_app_zh_CN_mo.c
  COMMAND ${CMAKE_COMMAND} -DIN=${web_build}/zh_CN.mo -DOUT=${web_build}/wd_app_zh_CN_mo.c -DNAME=wd_app_zh_CN_mo
          -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${web_build}/zh_CN.mo ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "web: embedding the zh_CN catalogue")
list(APPEND web_lib_sources ${web_build}/wd_app_zh_CN_mo.c)

# Speed matters (a 40 MB engine is decoded instruction by instruction): -O2,
# as the native build.
set(web_cflags -O2 -DNDEBUG)
set(web_lib_flags -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wno-unused-parameter -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -DWD_MO_NLS
    -I${CMAKE_SOURCE_DIR}/include -I${CMAKE_SOURCE_DIR}/src -I${CMAKE_BINARY_DIR}/generated ${dep_includes})
set(web_dep_flags -w -DHAVE_CONFIG_H -DZSTD_DISABLE_ASM=1 -DZSTD_LEGACY_SUPPORT=0 ${dep_includes})

set(web_objects)
function(wd_web_compile src flags)
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${src})
  if(rel MATCHES "^\\.\\.")
    file(RELATIVE_PATH rel ${CMAKE_BINARY_DIR} ${src})
  endif()
  string(REGEX REPLACE "[/.+]" "_" oname "${rel}")
  set(obj ${web_build}/obj/${oname}.o)
  add_custom_command(OUTPUT ${obj}
    COMMAND ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs EM_CACHE= EMCC_CFLAGS=
            ${WD_EMCC} ${web_cflags} ${flags} -MD -MF ${obj}.d -c ${src} -o ${obj}
    DEPENDS ${src}
    DEPFILE ${obj}.d
    COMMENT "web: emcc ${rel}"
    VERBATIM)
  set(web_objects ${web_objects} ${obj} PARENT_SCOPE)
endfunction()
# A third-party library in one emcc call: emcc's start costs about as much
# as compiling a small file, and these ~180 files never change.
function(wd_web_compile_dep pkg)
  set(dir ${web_build}/obj/${pkg})
  file(MAKE_DIRECTORY ${dir})
  set(objs)
  foreach(src ${ARGN})
    get_filename_component(base ${src} NAME_WE)
    list(APPEND objs ${dir}/${base}.o)
  endforeach()
  add_custom_command(OUTPUT ${objs}
    COMMAND ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs EM_CACHE= EMCC_CFLAGS=
            ${WD_EMCC} ${web_cflags} ${web_dep_flags} -c ${ARGN}
    DEPENDS ${ARGN}
    WORKING_DIRECTORY ${dir}
    COMMENT "web: emcc ${pkg} (Debian source package)"
    VERBATIM)
  set(web_objects ${web_objects} ${objs} PARENT_SCOPE)
endfunction()
wd_web_compile_dep(zlib ${web_zlib_sources})
wd_web_compile_dep(cjson ${dir_cjson}/cJSON.c)
wd_web_compile_dep(libzip ${web_zip_sources})
wd_web_compile_dep(brotli ${brotli_sources})
wd_web_compile_dep(libzstd ${web_zstd_sources})
foreach(src ${web_lib_sources})
  wd_web_compile(${src} "${web_lib_flags}")
endforeach()

set(web_exports _wd_app_begin,_wd_app_put,_wd_app_run,_wd_app_render,_wd_app_release,_malloc,_free)
add_custom_command(OUTPUT ${web_build}/webdoctor.js ${web_build}/webdoctor.wasm
  COMMAND ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs EM_CACHE= EMCC_CFLAGS=
          ${WD_EMCC} -O2 ${web_objects} -o ${web_build}/webdoctor.js
          -sMODULARIZE=1 -sEXPORT_NAME=createWebdoctor -sENVIRONMENT=worker
          -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -sDYNAMIC_EXECUTION=0 -sFORCE_FILESYSTEM=1
          -sEXPORTED_FUNCTIONS=${web_exports} -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8
  DEPENDS ${web_objects}
  COMMENT "web: linking webdoctor.wasm"
  VERBATIM)

# the page's catalogue, catalogue.js
set(web_page_sources)
foreach(f ${WD_I18N_WEB_SOURCES})
  list(APPEND web_page_sources ${CMAKE_SOURCE_DIR}/${f})
endforeach()
add_custom_command(OUTPUT ${web_build}/page.pot
  COMMAND ${WD_XGETTEXT} ${WD_XGETTEXT_JS} --output=${web_build}/page.pot ${WD_I18N_WEB_SOURCES}
  DEPENDS ${web_page_sources}
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  COMMENT "web: the page's messages"
  VERBATIM)
file(GLOB web_po_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/*.po)
set(web_catalogue_args)
set(web_catalogue_mos)
foreach(po ${web_po_files})
  get_filename_component(po_lang ${po} NAME_WE)
  set(page_po ${web_build}/page-${po_lang}.po)
  set(page_mo ${web_build}/page-${po_lang}.mo)
  add_custom_command(OUTPUT ${page_mo}
    COMMAND ${WD_MSGMERGE} --quiet --no-fuzzy-matching --output-file=${page_po} ${po} ${web_build}/page.pot
    COMMAND ${WD_MSGFMT} --check-format --output-file=${page_mo} ${page_po}
    DEPENDS ${po} ${web_build}/page.pot
    COMMENT "web: the page's ${po_lang} messages"
    VERBATIM)
  list(APPEND web_catalogue_args ${po_lang}=${page_mo})
  list(APPEND web_catalogue_mos ${page_mo})
endforeach()
add_custom_command(OUTPUT ${web_app}/catalogue.js
  COMMAND ${CMAKE_COMMAND} -E make_directory ${web_app}
  COMMAND ${WD_PYTHON} ${CMAKE_SOURCE_DIR}/cmake/web-catalogue.py ${web_app}/catalogue.js ${web_catalogue_args}
  DEPENDS ${web_catalogue_mos} ${CMAKE_SOURCE_DIR}/cmake/web-catalogue.py
  COMMENT "web: catalogue.js"
  VERBATIM)

set(web_static index.html app.css app.js worker.js)
set(web_outputs)
foreach(f ${web_static})
  add_custom_command(OUTPUT ${web_app}/${f}
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/web/${f} ${web_app}/${f}
    DEPENDS ${CMAKE_SOURCE_DIR}/web/${f})
  list(APPEND web_outputs ${web_app}/${f})
endforeach()
foreach(f webdoctor.js webdoctor.wasm)
  add_custom_command(OUTPUT ${web_app}/${f}
    COMMAND ${CMAKE_COMMAND} -E copy ${web_build}/${f} ${web_app}/${f}
    DEPENDS ${web_build}/${f})
  list(APPEND web_outputs ${web_app}/${f})
endforeach()
# Opened from disk (file://), the page starts its worker from this one
# script instead (cmake/web-bundle.cmake); served over HTTP it never loads it.
add_custom_command(OUTPUT ${web_app}/worker-bundle.js
  COMMAND ${CMAKE_COMMAND} -DGLUE=${web_build}/webdoctor.js -DWASM=${web_build}/webdoctor.wasm
          -DWORKER=${CMAKE_SOURCE_DIR}/web/worker.js -DGZIP=${WD_GZIP} -DBASE64=${WD_BASE64}
          -DOUT=${web_app}/worker-bundle.js -P ${CMAKE_SOURCE_DIR}/cmake/web-bundle.cmake
  DEPENDS ${web_build}/webdoctor.js ${web_build}/webdoctor.wasm ${CMAKE_SOURCE_DIR}/web/worker.js
          ${CMAKE_SOURCE_DIR}/cmake/web-bundle.cmake
  COMMENT "web: worker-bundle.js, the worker for a page opened from disk"
  VERBATIM)
list(APPEND web_outputs ${web_app}/worker-bundle.js ${web_app}/catalogue.js)
# The size budget: the whole app compressed (gzip -9, what a static host
# sends) stays under 1.5 MB; the build prints it and fails above it.
add_custom_target(web
  COMMAND ${CMAKE_COMMAND} -DDIR=${web_app} -DGZIP=${WD_GZIP} -DBUDGET=1572864
          -P ${CMAKE_SOURCE_DIR}/cmake/web-size.cmake
  DEPENDS ${web_outputs}
  VERBATIM)
