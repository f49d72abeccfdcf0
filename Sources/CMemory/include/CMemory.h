// glibc allocator tuning for HPDTensor's MemoryPolicy (malloc.h is not part of Swift's Glibc module).
#ifndef FEDHPD_CMEMORY_H
#define FEDHPD_CMEMORY_H

/// Keeps freed memory in the process: blocks up to 32 MiB come from the heap, the heap is never trimmed.
/// Returns 1 when every setting was accepted.
int fedhpd_retain_freed_memory(void);

#endif
