// Placeholder: the benchmark executable is being written.
print("fedhpd-bench: not yet implemented")
