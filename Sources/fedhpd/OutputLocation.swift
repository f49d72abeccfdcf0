import Foundation
import HPDFederation

/// Checks an output path before any work is done, so a bad `--out` fails in a second, not after the training.
enum OutputLocation {
    /// `path` can hold run folders: it is a folder, or it does not exist yet and the nearest existing folder above
    /// it is a folder that is writable.
    static func checkFolder(_ path: String, option: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw CommandError("\(option) \(path): is a file, not a folder") }
            guard access(path, W_OK) == 0 else { throw CommandError("\(option) \(path): the folder is not writable") }
            return
        }
        try checkAncestors(of: URL(fileURLWithPath: path), option: option, path: path)
    }

    /// `path` can be written as a file: it is not a folder, and the nearest existing folder above it is a writable
    /// folder.
    static func checkFile(_ path: String, option: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CommandError("\(option) \(path): is a folder, not a file")
        }
        try checkAncestors(of: URL(fileURLWithPath: path), option: option, path: path)
    }

    /// The nearest existing ancestor of `url` is a writable folder.
    private static func checkAncestors(of url: URL, option: String, path: String) throws {
        var ancestor = url.standardizedFileURL.deletingLastPathComponent()
        while true {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    throw CommandError("\(option) \(path): \(ancestor.path) is a file, not a folder")
                }
                guard access(ancestor.path, W_OK) == 0 else {
                    throw CommandError("\(option) \(path): the folder \(ancestor.path) is not writable")
                }
                return
            }
            let parent = ancestor.deletingLastPathComponent()
            if parent.path == ancestor.path { return }
            ancestor = parent
        }
    }
}
