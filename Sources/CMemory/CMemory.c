#include "CMemory.h"
#include <malloc.h>

int fedhpd_retain_freed_memory(void) {
    int accepted = 1;
    accepted &= mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    accepted &= mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
    accepted &= mallopt(M_TOP_PAD, 16 * 1024 * 1024);
    return accepted;
}
