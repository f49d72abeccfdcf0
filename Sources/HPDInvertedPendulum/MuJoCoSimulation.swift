internal import CMuJoCo
import Foundation
import HPDTensor

/// One MuJoCo model and its simulation data: the only place in the module that touches MuJoCo's C pointers.
///
/// The model XML is handed to MuJoCo through its in-memory virtual file system, so nothing is written to disk.
/// Every joint and actuator index is checked with a precondition before it reaches a C array.
final class MuJoCoSimulation {
    /// The name under which the XML is placed in the virtual file system.
    private static let virtualFileName = "model.xml"
    /// The size of the buffer MuJoCo writes its load error into.
    private static let errorBufferSize = 1024
    /// Serialises model loading: MuJoCo's XML loader keeps process-wide state of the last loaded model.
    private static let loadLock = NSLock()

    private let model: UnsafeMutablePointer<mjModel>
    private let data: UnsafeMutablePointer<mjData>

    /// The number of generalised coordinates (`nq`).
    let positionCount: Int
    /// The number of degrees of freedom (`nv`).
    let velocityCount: Int
    /// The number of actuators (`nu`).
    let controlCount: Int

    /// Parses and compiles `modelXML`, then allocates its simulation data.
    init(modelXML: String) throws {
        let loadedModel = try Self.loadModel(xml: modelXML)
        guard let allocatedData = mj_makeData(loadedModel) else {
            mj_deleteModel(loadedModel)
            throw MuJoCoModelError.dataAllocationFailed
        }
        model = loadedModel
        data = allocatedData
        positionCount = Int(loadedModel.pointee.nq)
        velocityCount = Int(loadedModel.pointee.nv)
        controlCount = Int(loadedModel.pointee.nu)
    }

    deinit {
        mj_deleteData(data)
        mj_deleteModel(model)
    }

    /// The physics timestep in seconds.
    var timestep: Double { model.pointee.opt.timestep }

    /// The simulated time in seconds since the last reset.
    var time: Double { data.pointee.time }

    /// The model's default pose (`qpos0`): Gymnasium's `init_qpos`.
    var defaultPositions: [Double] {
        (0..<positionCount).map { model.pointee.qpos0[$0] }
    }

    /// The control range of actuator `index`, or nil when its control is not limited.
    func controlRange(actuator index: Int) -> (low: Double, high: Double)? {
        Precondition.check(index >= 0 && index < controlCount, "actuator \(index) out of 0..<\(controlCount)")
        guard model.pointee.actuator_ctrllimited[index] != 0 else { return nil }
        return (model.pointee.actuator_ctrlrange[2 * index], model.pointee.actuator_ctrlrange[2 * index + 1])
    }

    /// Resets all simulation data to the model defaults (`mj_resetData`): time 0, `qpos0`, zero velocity and controls.
    func resetData() {
        mj_resetData(model, data)
    }

    /// Sets the joint positions and velocities, then recomputes derived quantities (`mj_forward`).
    func setState(positions: [Double], velocities: [Double]) {
        Precondition.check(
            positions.count == positionCount, "expected \(positionCount) positions, got \(positions.count)")
        Precondition.check(
            velocities.count == velocityCount, "expected \(velocityCount) velocities, got \(velocities.count)")
        for index in 0..<positionCount { data.pointee.qpos[index] = positions[index] }
        for index in 0..<velocityCount { data.pointee.qvel[index] = velocities[index] }
        mj_forward(model, data)
    }

    /// Sets the control of actuator `index`; MuJoCo clamps it to the control range when the actuator is limited.
    func setControl(_ value: Double, actuator index: Int) {
        Precondition.check(index >= 0 && index < controlCount, "actuator \(index) out of 0..<\(controlCount)")
        data.pointee.ctrl[index] = value
    }

    /// Advances the simulation by `frames` physics steps (`mj_step`) with the current controls.
    func advance(frames: Int) {
        for _ in 0..<frames { mj_step(model, data) }
    }

    /// The generalised coordinate `index` (`qpos[index]`).
    func position(_ index: Int) -> Double {
        Precondition.check(index >= 0 && index < positionCount, "position \(index) out of 0..<\(positionCount)")
        return data.pointee.qpos[index]
    }

    /// The velocity of degree of freedom `index` (`qvel[index]`).
    func velocity(_ index: Int) -> Double {
        Precondition.check(index >= 0 && index < velocityCount, "velocity \(index) out of 0..<\(velocityCount)")
        return data.pointee.qvel[index]
    }

    /// Hands `xml` to MuJoCo through a one-file virtual file system and compiles it.
    private static func loadModel(xml: String) throws -> UnsafeMutablePointer<mjModel> {
        let bytes = Array(xml.utf8)
        guard !bytes.isEmpty else { throw MuJoCoModelError.virtualFileUnavailable(reason: "the XML is empty") }
        guard bytes.count < Int(Int32.max) else {
            throw MuJoCoModelError.virtualFileUnavailable(reason: "the XML is larger than 2 GiB")
        }
        // mjVFS holds fixed arrays for 2000 file names (about 2 MB): keep it off the stack.
        let fileSystem = UnsafeMutablePointer<mjVFS>.allocate(capacity: 1)
        defer { fileSystem.deallocate() }
        mj_defaultVFS(fileSystem)
        defer { mj_deleteVFS(fileSystem) }

        guard mj_makeEmptyFileVFS(fileSystem, virtualFileName, Int32(bytes.count)) == 0 else {
            throw MuJoCoModelError.virtualFileUnavailable(reason: "mj_makeEmptyFileVFS failed")
        }
        let fileIndex = Int(mj_findFileVFS(fileSystem, virtualFileName))
        guard fileIndex >= 0, let fileData = fileDataPointer(fileSystem, index: fileIndex) else {
            throw MuJoCoModelError.virtualFileUnavailable(reason: "the virtual file has no buffer")
        }
        bytes.withUnsafeBytes { source in
            fileData.copyMemory(from: source.baseAddress!, byteCount: source.count)
        }

        var errorBuffer = [CChar](repeating: 0, count: errorBufferSize)
        let loaded = loadLock.withLock {
            errorBuffer.withUnsafeMutableBufferPointer { buffer in
                mj_loadXML(virtualFileName, fileSystem, buffer.baseAddress, Int32(buffer.count))
            }
        }
        guard let loaded else {
            let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw MuJoCoModelError.invalidModelXML(message: message.isEmpty ? "unknown error" : message)
        }
        return loaded
    }

    /// The buffer of file `index` in the virtual file system (`vfs->filedata[index]`).
    private static func fileDataPointer(
        _ fileSystem: UnsafeMutablePointer<mjVFS>, index: Int
    ) -> UnsafeMutableRawPointer? {
        guard let offset = MemoryLayout<mjVFS>.offset(of: \mjVFS.filedata) else { return nil }
        let slot = UnsafeMutableRawPointer(fileSystem) + offset + index * MemoryLayout<UnsafeMutableRawPointer?>.stride
        return slot.load(as: UnsafeMutableRawPointer?.self)
    }
}
