// `@preconcurrency`: Glibc's `stdout` is a C global the compiler cannot prove race-free. It is only read here, once,
// at the start of `fedhpd-bench run`, on the main thread before any worker thread exists. The import stays in this
// file alone so that no other file loses the check.
@preconcurrency import Glibc

/// The process's standard output stream.
enum StandardOutput {
    /// Makes standard output line-buffered, so that progress lines appear at once when it is a pipe or a file.
    static func useLineBuffering() { setvbuf(stdout, nil, _IOLBF, 0) }
}
