# Sourced by the benchmarks: put the files they read in one known state of
# the page cache before the runs.
#
# How fast a program reads a cached file depends on how the file came into
# the cache: read from disk or just written, Linux caches it in large
# folios; first touched through mmap, often in 4 KiB pages, and then every
# read walks four to five times as many cache entries. (The Godot engine
# of the corpus, 37.7 MB: 4.5 ms for one read in 2 MiB pieces in the first
# state, 7 to 11 ms in the second, on a 2-core EPYC VM.) So each file is
# dropped from the cache and read back once, which leaves it as after a
# read from disk, whatever touched it before. WD_BENCH_CACHE=keep leaves
# the cache as it is.

bench_settle_cache() {
  if [ "${WD_BENCH_CACHE:-}" = keep ]; then
    echo "page cache: as it was (WD_BENCH_CACHE=keep)"
    return
  fi
  local f
  for f in "$@"; do
    # GNU dd: iflag=nocache with count=0 asks the kernel to drop the whole
    # file (posix_fadvise DONTNEED; clean pages only, no privileges needed)
    dd if="$f" iflag=nocache count=0 status=none
    cat "$f" > /dev/null
  done
  echo "page cache: the files dropped and read back once (as after a read from disk)"
}
