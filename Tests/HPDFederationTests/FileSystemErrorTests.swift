import Foundation
import HPDFederation
import Testing

/// File failures are described by path and cause in plain words, never as Foundation's raw domain and code.
@Suite struct FileSystemErrorTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-fs-\(UUID())")

    func makeRoot() throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    @Test func aFileWhereAFolderMustBeIsNamed() throws {
        try makeRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("runs")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let target = file.appendingPathComponent("run/summary.json")
        let error = FileSystemError(writing: target, CocoaError(.fileWriteUnknown))
        #expect(error.description == "cannot write \(target.path): \(file.path) is a file, not a folder")
    }

    @Test func aFolderWhereAFileMustBeIsNamed() throws {
        try makeRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let error = FileSystemError(writing: root, CocoaError(.fileWriteUnknown))
        #expect(error.reason == "it is a folder, not a file")
    }

    @Test func causesAreSaidInWords() {
        let file = URL(fileURLWithPath: "/nonexistent-fedhpd/results.csv")
        let full = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))
        #expect(
            FileSystemError(writing: URL(fileURLWithPath: "/tmp/x.csv"), full).reason == "no space left on the device")
        let wrapped = NSError(
            domain: NSCocoaErrorDomain, code: 512,
            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))])
        #expect(
            FileSystemError(writing: URL(fileURLWithPath: "/tmp/x.csv"), wrapped).reason
                == "the file system is read-only")
        #expect(
            FileSystemError(writing: URL(fileURLWithPath: "/tmp/x.csv"), CocoaError(.fileWriteOutOfSpace)).reason
                == "no space left on the device")
        #expect(
            FileSystemError(reading: file, CocoaError(.fileReadNoSuchFile)).description
                == "cannot read \(file.path): no such file")
        #expect(
            !FileSystemError(writing: file, CocoaError(.fileWriteUnknown)).description.contains("NSCocoaErrorDomain"))
    }

    @Test func writingWrapsAnyErrorWithThePath() throws {
        try makeRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("config.json")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        #expect(throws: FileSystemError(action: "write", path: target.path, reason: "it is a folder, not a file")) {
            try FileSystemError.writing(target) { try Data("{}".utf8).write(to: target) }
        }
    }
}
