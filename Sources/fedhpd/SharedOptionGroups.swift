import HPDCommandLine

/// The option groups `fedhpd` shares with `fedhpd-bench` (declared once in `HPDCommandLine`), under their names in
/// this module so that every command file can use them without importing that module.
typealias KernelOptions = HPDCommandLine.KernelOptions
