// jemalloc's options for the two programs, read by jemalloc when it starts (its documented
// `malloc_conf` variable; the MALLOC_CONF environment variable still overrides them).
//
// thp:always backs the allocator's memory with transparent huge pages where the kernel allows
// them on request (the "madvise" setting, Debian's default): a bulk load fills a gigabyte of
// batches, tables and arenas, and touching it in 4 KiB pages cost about a fifth of the load
// (22 s with huge pages against 28 s without, 2.4 million relations).
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's.
const char* malloc_conf = "thp:always";
}
