import Foundation

#if FUZZING
import CFuzzerDriver
#endif

/// `fedhpd-fuzz`: libFuzzer harnesses for every decoder of outside bytes (see `FuzzTarget`).
///
/// Built by `scripts/fuzz.sh` with `-sanitize=fuzzer,address -DFUZZING` and run with `FEDHPD_FUZZ_TARGET` set, it
/// is a libFuzzer binary for that target (libFuzzer's own flags and corpus folders as arguments). Otherwise (and in
/// a plain `swift build`) it has two commands:
/// - `fedhpd-fuzz seeds DIR` writes the seed corpus of every target into `DIR/<target>/`, from the real encoders;
/// - `fedhpd-fuzz replay TARGET FILE…` feeds files to a target once (to reproduce a crash found by the fuzzer).
@main
enum FuzzMain {
    static func main() {
        #if FUZZING
        if let name = ProcessInfo.processInfo.environment["FEDHPD_FUZZ_TARGET"] {
            guard let target = FuzzTarget(rawValue: name) else {
                fail(
                    "FEDHPD_FUZZ_TARGET: unknown target '\(name)'; targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            FuzzTarget.selected = target
            var argumentCount = CommandLine.argc
            var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argumentCount, &arguments) { fuzzOneInput($0, $1) })
        }
        #endif
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "seeds" where arguments.count == 2:
            do {
                try SeedCorpus.write(to: URL(fileURLWithPath: arguments[1]))
            } catch {
                fail("cannot write the seed corpus: \(error)")
            }
        case "replay" where arguments.count >= 3:
            guard let target = FuzzTarget(rawValue: arguments[1]) else {
                fail(
                    "unknown target '\(arguments[1])'; targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            for path in arguments.dropFirst(2) {
                guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot be read") }
                target.run(data)
                print("\(path): handled without a crash")
            }
        default:
            fail(
                """
                usage: fedhpd-fuzz seeds DIR | fedhpd-fuzz replay TARGET FILE…
                (to fuzz, build and run with scripts/fuzz.sh TARGET SECONDS; targets: \
                \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))
                """)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fedhpd-fuzz: \(message)\n".utf8))
        exit(2)
    }
}

#if FUZZING
/// libFuzzer's per-input hook. The fuzzer runtime's own `main` references it, so it must exist even though
/// `FuzzMain` starts the driver itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.selected.run(start.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
#endif
