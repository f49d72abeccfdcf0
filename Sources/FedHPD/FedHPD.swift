// The umbrella module: `import FedHPD` gives the tensor/autodiff engine, the NN layer, RL (environments protocol,
// REINFORCE), CartPole and the federation layer. The physics tasks are separate products (HPDLunarLander on Box2D,
// HPDInvertedPendulum on MuJoCo), so importing FedHPD needs no physics engine.
@_exported import HPDEnvironments
@_exported import HPDFederation
@_exported import HPDNN
@_exported import HPDRL
@_exported import HPDTensor
