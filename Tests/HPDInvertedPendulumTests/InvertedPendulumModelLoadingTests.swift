import HPDInvertedPendulum
import Testing

@Test func bundledModelLoads() throws {
    let environment = try InvertedPendulum(modelXML: InvertedPendulum.defaultModelXML)
    #expect(environment.reset(seed: 0).count == 4)
}

@Test func corruptModelXMLThrowsMuJoCosMessage() {
    let truncated = String(InvertedPendulum.defaultModelXML.prefix(200))
    let unknownJointType = "<mujoco><worldbody><body><joint type=\"spiral\"/></body></worldbody></mujoco>"
    for corrupt in [truncated, "not xml at all", unknownJointType] {
        let error = #expect(throws: MuJoCoModelError.self) { _ = try InvertedPendulum(modelXML: corrupt) }
        guard case .invalidModelXML(let message) = error else {
            Issue.record("expected invalidModelXML, got \(String(describing: error))")
            continue
        }
        #expect(!message.isEmpty)
    }
}

@Test func emptyModelXMLThrows() {
    #expect(throws: MuJoCoModelError.self) { _ = try InvertedPendulum(modelXML: "") }
}

@Test func modelWithTheWrongJointsThrowsIncompatibleModel() {
    let cartOnly = """
        <mujoco>
          <worldbody>
            <body><joint name="slider" type="slide" axis="1 0 0"/><geom type="sphere" size="0.1"/></body>
          </worldbody>
          <actuator><motor joint="slider"/></actuator>
        </mujoco>
        """
    let error = #expect(throws: MuJoCoModelError.self) { _ = try InvertedPendulum(modelXML: cartOnly) }
    guard case .incompatibleModel(let reason) = error else {
        Issue.record("expected incompatibleModel, got \(String(describing: error))")
        return
    }
    #expect(reason.contains("nq = 1"))
}

@Test func loadErrorsDescribeThemselves() {
    let error = MuJoCoModelError.invalidModelXML(message: "XML Error: bad")
    #expect(error.description.contains("XML Error: bad"))
}
