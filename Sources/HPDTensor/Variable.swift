/// A node of the reverse-mode autodiff graph: a value, its accumulated gradient, the nodes it was computed from and
/// the rule that sends an incoming gradient back to them.
///
/// Build a graph by calling the differentiable operations in `Derivatives.swift` on variables; call `backward()` on
/// a scalar result. Gradients **accumulate** (a variable used twice receives the sum of both contributions) until
/// `zeroGradient()`. Variables created with `requiresGradient: false` are constants: operations on constants only
/// record nothing, which is the no-grad path.
public final class Variable {
    /// The forward value.
    public internal(set) var value: Tensor
    /// ∂(output)/∂(self) accumulated by `backward()` calls, or nil before any.
    public internal(set) var gradient: Tensor?
    /// Whether gradients flow into this variable.
    public let requiresGradient: Bool
    /// The variables this one was computed from (empty for leaves).
    let parents: [Variable]
    /// Sends this node's gradient to its parents (nil for leaves and constants).
    let backwardRule: ((Tensor) -> Void)?

    /// A leaf: a parameter (`requiresGradient: true`) or a constant.
    public init(_ value: Tensor, requiresGradient: Bool = false) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.parents = []
        self.backwardRule = nil
    }

    /// An interior node; records `rule` only when some parent needs a gradient.
    init(_ value: Tensor, parents: [Variable], rule: @escaping (Tensor) -> Void) {
        let needsGradient = parents.contains { $0.requiresGradient }
        self.value = value
        self.requiresGradient = needsGradient
        self.parents = needsGradient ? parents : []
        self.backwardRule = needsGradient ? rule : nil
    }

    /// A custom differentiable operation: `value` computed from `parents`, and `backward`, which receives ∂L/∂value
    /// and must call `accumulateGradient(_:)` on each parent with its share (shape of that parent's value).
    public convenience init(value: Tensor, parents: [Variable], backward: @escaping (Tensor) -> Void) {
        self.init(value, parents: parents, rule: backward)
    }

    /// Adds `contribution` (the shape of `value`) to this variable's gradient; for custom operations' rules.
    public func accumulateGradient(_ contribution: Tensor) {
        Precondition.check(
            contribution.count == value.count,
            "accumulateGradient: \(contribution.shape) for a value of shape \(value.shape)")
        accumulate(contribution)
    }

    /// Replaces a leaf's value (used by optimisers and parameter loading).
    public func assign(_ newValue: Tensor) {
        Precondition.check(
            newValue.shape == value.shape, "assign: new value \(newValue.shape) does not match \(value.shape)")
        value = newValue
    }

    /// Mutates a leaf's value in place (no copy when uniquely referenced).
    public func updateValue(_ body: (inout Tensor) -> Void) {
        body(&value)
    }

    /// Clears the accumulated gradient.
    public func zeroGradient() {
        gradient = nil
    }

    /// Adds `contribution` to the accumulated gradient.
    func accumulate(_ contribution: Tensor) {
        guard requiresGradient else { return }
        if gradient == nil {
            gradient = contribution.rank == value.rank ? contribution : contribution.reshaped(value.shape)
        } else {
            gradient!.add(contribution)
        }
    }

    /// Accumulates op(A)·op(B) straight into the gradient buffer (β = 1), avoiding a temporary.
    func accumulateProduct(_ left: Tensor, _ right: Tensor, transposeLeft: Bool, transposeRight: Bool) {
        guard requiresGradient else { return }
        if gradient == nil {
            gradient = Tensor.matmul(left, right, transposeLeft: transposeLeft, transposeRight: transposeRight)
                .reshaped(value.shape)
        } else {
            Tensor.matmul(
                left, right, transposeLeft: transposeLeft, transposeRight: transposeRight, beta: 1, into: &gradient!)
        }
    }

    /// Back-propagates from this scalar: sets ∂self/∂self = 1 and applies every recorded rule in reverse
    /// topological order, so each node's gradient is complete before it is passed on.
    public func backward() {
        Precondition.check(value.count == 1, "backward() needs a scalar output, got shape \(value.shape)")
        backward(seed: Tensor(shape: value.shape, scalars: [1]))
    }

    /// Back-propagates an explicit output gradient `seed` (same shape as `value`).
    public func backward(seed: Tensor) {
        Precondition.check(
            seed.shape == value.shape, "backward(seed:): seed \(seed.shape) does not match \(value.shape)")
        guard requiresGradient else { return }
        let order = topologicalOrder()
        for node in order where node.backwardRule != nil { node.gradient = nil }
        accumulate(seed)
        for node in order.reversed() {
            guard let rule = node.backwardRule, let incoming = node.gradient else { continue }
            rule(incoming)
            node.gradient = nil  // interior gradients are not kept: frees memory early
        }
    }

    /// Nodes reachable from `self` through parents, each after all of its parents.
    func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for parent in node.parents where parent.requiresGradient && !visited.contains(ObjectIdentifier(parent)) {
                stack.append((parent, false))
            }
        }
        return order
    }
}
