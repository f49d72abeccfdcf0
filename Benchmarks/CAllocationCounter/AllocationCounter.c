int fedhpd_allocation_counter_placeholder(void) { return 0; }
