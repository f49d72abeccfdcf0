// The C API of MuJoCo 2.2.2, as shipped by Debian's libmujoco-dev (headers under /usr/include/mujoco).
// This target has no Swift API of its own; HPDInvertedPendulum's MuJoCoSimulation.swift is its only user.
#include <mujoco/mujoco.h>
