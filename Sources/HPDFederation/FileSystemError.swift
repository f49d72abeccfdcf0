import Foundation

/// A file or folder that could not be read or written, in plain words: the path and what is wrong with it
/// ("is a file, not a folder", "no space left on the device", "permission denied"), never Foundation's raw error
/// domain and code.
public struct FileSystemError: Error, Equatable, CustomStringConvertible {
    /// What was being done: `write`, `read` or `create the folder`.
    public var action: String
    /// The file or folder.
    public var path: String
    /// What is wrong, in words.
    public var reason: String

    public init(action: String, path: String, reason: String) {
        (self.action, self.path, self.reason) = (action, path, reason)
    }

    /// `cannot write runs/x/summary.json: no space left on the device`.
    public var description: String { "cannot \(action) \(path): \(reason)" }

    /// The failure to write `url` (or to create its folder), diagnosed from the file system and `error`.
    public init(writing url: URL, _ error: any Error) {
        self.init(action: "write", path: url.path, reason: Self.diagnose(url, error: error, writing: true))
    }

    /// The failure to read `url`, diagnosed from the file system and `error`.
    public init(reading url: URL, _ error: any Error) {
        self.init(action: "read", path: url.path, reason: Self.diagnose(url, error: error, writing: false))
    }

    /// Runs `body` (which writes `url`), turning any error into a `FileSystemError` naming `url`.
    public static func writing<T>(_ url: URL, _ body: () throws -> T) throws(FileSystemError) -> T {
        do { return try body() } catch let error as FileSystemError { throw error } catch {
            throw FileSystemError(writing: url, error)
        }
    }

    /// Runs `body` (which reads `url`), turning any error into a `FileSystemError` naming `url`.
    public static func reading<T>(_ url: URL, _ body: () throws -> T) throws(FileSystemError) -> T {
        do { return try body() } catch let error as FileSystemError { throw error } catch {
            throw FileSystemError(reading: url, error)
        }
    }

    /// Why `url` could not be used: first what the file system shows (an ancestor that is a file, a folder where a
    /// file must go, a missing file), then the cause the error carries (its POSIX code in words).
    static func diagnose(_ url: URL, error: any Error, writing: Bool) -> String {
        let manager = FileManager.default
        var ancestor = url.standardizedFileURL.deletingLastPathComponent()
        var ancestors: [URL] = []
        while ancestor.path != "/" && !ancestor.path.isEmpty {
            ancestors.append(ancestor)
            ancestor = ancestor.deletingLastPathComponent()
        }
        for folder in ancestors.reversed() {
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
                return "\(folder.path) is a file, not a folder"
            }
        }
        var isFolder: ObjCBool = false
        let exists = manager.fileExists(atPath: url.path, isDirectory: &isFolder)
        if exists && isFolder.boolValue { return "it is a folder, not a file" }
        if !writing && !exists { return "no such file" }
        if let code = posixCode(of: error) { return words(forPOSIXCode: code) }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
            case .fileWriteVolumeReadOnly: return "the file system is read-only"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "not readable as text"
            default: break
            }
        }
        let parent = url.deletingLastPathComponent().path
        if writing && manager.fileExists(atPath: parent) && access(parent, W_OK) != 0 {
            return "the folder \(parent) is not writable"
        }
        return writing ? "the file system refused the write" : "the file system refused the read"
    }

    /// The POSIX error number inside `error` (directly or as its underlying error), if any.
    static func posixCode(of error: any Error) -> Int32? {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return nil
    }

    /// A POSIX error number in words ("No space left on device" → "no space left on the device").
    static func words(forPOSIXCode code: Int32) -> String {
        switch code {
        case ENOSPC: return "no space left on the device"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "the file system is read-only"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EISDIR: return "it is a folder, not a file"
        case ENOENT: return "no such file or folder"
        case EDQUOT: return "the disk quota is exceeded"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
