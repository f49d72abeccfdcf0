import Foundation
import HPDNN
import HPDTensor
import Testing

/// Policies as safetensors files: the layout the format specifies, PyTorch's names, and a strict reader.
@Suite struct PolicyFileTests {
    let categorical = PolicyTests().makeCategorical()
    let gaussian = PolicyTests().makeGaussian()

    /// The problem reported when decoding `data`, or nil when it loads.
    func problem(_ data: Data) -> PolicyFileError.Problem? {
        do {
            _ = try PolicyFile.policy(
                from: SafeTensors.decode(data, path: "agent-1.safetensors"), path: "agent-1.safetensors")
            return nil
        } catch {
            #expect(error.path == "agent-1.safetensors" && "\(error)".hasPrefix("agent-1.safetensors: "))
            return error.problem
        }
    }

    /// The file with its JSON header rewritten by `change` (the byte buffer kept).
    func rewritingHeader(_ data: Data, _ change: (inout [String: Any]) -> Void) throws -> Data {
        let bytes = [UInt8](data)
        let length = Int(LittleEndian.readUInt64(bytes, at: 0))
        var header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as! [String: Any]
        change(&header)
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var result = Data()
        LittleEndian.append(UInt64(json.count), to: &result)
        return result + json + Data(bytes[(8 + length)...])
    }

    @Test func tensorNamesFollowPyTorchsSequentialModuleIndices() {
        #expect(
            PolicyFile.tensorNames(categorical.architecture)
                == ["body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.weight", "head.bias"])
        #expect(
            PolicyFile.tensorNames(gaussian.architecture)
                == [
                    "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias",
                    "mean_head.weight", "mean_head.bias", "std_head.weight", "std_head.bias",
                ])
    }

    @Test func aSavedPolicyLoadsWithTheSameArchitectureParametersAndMetadata() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-policy-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        for policy in [categorical as Policy, gaussian as Policy] {
            let url = folder.appendingPathComponent("agent-1.safetensors")
            try PolicyFile.save(policy, metadata: ["environment": "CartPole-v1"], to: url)
            let loaded = try PolicyFile.load(from: url)
            #expect(loaded.policy.architecture == policy.architecture)
            #expect(loaded.policy.parameters.map(\.value) == policy.parameters.map(\.value))
            #expect(loaded.metadata["environment"] == "CartPole-v1")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["agent-1.safetensors"])
    }

    @Test func theFileFollowsTheSafetensorsLayout() throws {
        let data = try PolicyFile.content(of: categorical).encoded()
        let bytes = [UInt8](data)
        let length = Int(LittleEndian.readUInt64(bytes, at: 0))
        #expect(length % 8 == 0 && bytes[8] == UInt8(ascii: "{"))
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as! [String: Any]
        let weight = header["body.0.weight"] as! [String: Any]
        #expect(weight["dtype"] as? String == "F32" && weight["shape"] as? [Int] == [8, 4])
        #expect(weight["data_offsets"] as? [Int] == [0, 128])
        let metadata = header["__metadata__"] as! [String: String]
        #expect(metadata["family"] == "categorical" && metadata["activations"] == "[\"relu\",\"tanh\"]")
        // The first weight, row-major and little-endian, right after the header.
        let first = Float(bitPattern: LittleEndian.readUInt32(bytes, at: 8 + length))
        #expect(first == categorical.body.layers[0].weight.value.scalars[0])
        #expect(bytes.count == 8 + length + 4 * categorical.parameterCount)
    }

    @Test func aHeaderLengthBeyondTheFileIsRefused() throws {
        var data = try PolicyFile.content(of: categorical).encoded()
        data.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0, 0, 0, 0, 0, 0])
        guard case .badHeaderLength? = problem(data) else {
            Issue.record("\(String(describing: problem(data)))")
            return
        }
        guard case .badHeaderLength? = problem(Data([1, 2, 3])) else {
            Issue.record("3-byte file accepted")
            return
        }
    }

    @Test func aHeaderThatIsNotJSONIsRefused() throws {
        var data = try PolicyFile.content(of: categorical).encoded()
        data[8] = UInt8(ascii: "[")
        guard case .badHeader? = problem(data) else {
            Issue.record("\(String(describing: problem(data)))")
            return
        }
    }

    @Test func aTensorOfAnotherDTypeIsRefusedByName() throws {
        let data = try rewritingHeader(PolicyFile.content(of: categorical).encoded()) { header in
            var entry = header["head.bias"] as! [String: Any]
            entry["dtype"] = "I32"
            header["head.bias"] = entry
        }
        #expect(problem(data) == .unsupportedDType(tensor: "head.bias", dtype: "I32"))
    }

    @Test func aShapeThatDisagreesWithItsByteCountIsRefused() throws {
        let data = try rewritingHeader(PolicyFile.content(of: categorical).encoded()) { header in
            var entry = header["body.0.weight"] as! [String: Any]
            entry["shape"] = [8, 5]
            header["body.0.weight"] = entry
        }
        #expect(problem(data) == .byteCountMismatch(tensor: "body.0.weight", shape: [8, 5], bytes: 128))
    }

    @Test func aTruncatedBufferIsRefused() throws {
        let data = try PolicyFile.content(of: categorical).encoded()
        guard case .badOffsets(let reason)? = problem(data.prefix(data.count - 4)) else {
            Issue.record("accepted")
            return
        }
        #expect(reason.contains("head.bias"))
    }

    @Test func wrongTensorNamesAreRefused() throws {
        let renamed = try rewritingHeader(PolicyFile.content(of: categorical).encoded()) { header in
            header["output.bias"] = header.removeValue(forKey: "head.bias")
        }
        #expect(problem(renamed) == .unexpectedTensor("output.bias"))
        var missing = PolicyFile.content(of: categorical)
        missing.tensors.removeLast()
        #expect(problem(try missing.encoded()) == .missingTensor("head.bias"))
    }

    @Test func missingArchitectureMetadataIsRefusedNamingTheKey() throws {
        var content = PolicyFile.content(of: gaussian)
        content.metadata["activations"] = nil
        guard case .badMetadata(let key, _)? = problem(try content.encoded()) else {
            Issue.record("accepted")
            return
        }
        #expect(key == "activations")
    }

    @Test func nonFiniteWeightsAreRefused() throws {
        var content = PolicyFile.content(of: categorical)
        content.tensors[1].scalars[0] = .nan
        #expect(problem(try content.encoded()) == .nonFiniteValues(tensor: "body.0.bias"))
    }

    @Test func assigningIntoAnotherArchitectureNamesTheTensorAndShapes() throws {
        var generator = RandomGenerator(seed: 5)
        let wider = CategoricalPolicy(
            architecture: PolicyArchitecture(
                family: .categorical, observationSize: 4, actionSize: 3, hiddenSizes: [9, 5],
                activations: [.relu, .tanh]),
            generator: &generator)
        #expect {
            try PolicyFile.assign(PolicyFile.content(of: categorical), to: wider, path: "init/agent-2.safetensors")
        } throws: { error in
            "\(error)" == "init/agent-2.safetensors: tensor body.0.weight has shape [8, 4], expected [9, 4]"
        }
    }
}
