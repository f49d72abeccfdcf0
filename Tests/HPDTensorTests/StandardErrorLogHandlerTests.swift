import HPDTensor
import Logging
import Testing

/// The executables' log backend prints lines as the command-line tools always did.
@Suite struct StandardErrorLogHandlerTests {
    @Test func warningsAndErrorsArePrefixedAndLowerLevelsPrintTheMessageAlone() {
        let message: Logger.Message = "BLAS kernels: kernel set SkylakeX failed its self-check"
        #expect(
            StandardErrorLogHandler.line(level: .warning, message: message)
                == "warning: BLAS kernels: kernel set SkylakeX failed its self-check")
        #expect(StandardErrorLogHandler.line(level: .error, message: "disk full") == "error: disk full")
        #expect(StandardErrorLogHandler.line(level: .critical, message: "disk full") == "error: disk full")
        for level in [Logger.Level.trace, .debug, .info, .notice] {
            #expect(StandardErrorLogHandler.line(level: level, message: "resuming") == "resuming")
        }
    }
}
