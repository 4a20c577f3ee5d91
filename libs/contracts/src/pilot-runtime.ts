/**
 * The environment every launcher starts Pilot with (the container entrypoint, `meshctl up`, the
 * bench). GLIBC_TUNABLES (https://www.gnu.org/software/libc/manual/html_node/Memory-Allocation-Tunables.html):
 * a push frames one copy of each response per stream (grpc-js allocates it), 456 KB of RDS x 1000
 * sidecars in a 1000-service mesh. With glibc's defaults the freed heap above ~1 MB is returned
 * to the kernel after every push and the next push faults it in again, page by page; keeping up
 * to 256 MB of it (and serving blocks under 4 MB from the heap rather than fresh mmaps) took
 * Pilot's CPU per push to 1000 sidecars from ~1.0-1.3 s to ~0.75-0.95 s in the bench.
 * Other C libraries ignore the variable.
 */
export const PILOT_ENV: Readonly<Record<string, string>> = {
  GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=4194304',
};
