// Placeholder header; see Benchmarks/CAllocationCounter.
int fedhpd_allocation_counter_placeholder(void);
