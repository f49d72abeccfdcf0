// A plain C interface to the Box2D 2.4 world of Gymnasium's LunarLander-v3.
//
// The C++ side (LunarLanderPhysics.cpp) owns the b2World, the terrain, the lander, its two legs, their revolute
// joints and the contact listener. Swift sees only an opaque handle and plain structs: no C++ interoperability.
// Lengths are in Box2D world units (Gymnasium's pixels divided by SCALE = 30), angles in radians.

#ifndef CBOX2D_H
#define CBOX2D_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An opaque handle to one LunarLander physics world. Create with `lunar_lander_physics_create`, free with
/// `lunar_lander_physics_destroy`.
typedef struct LunarLanderPhysics LunarLanderPhysics;

/// What the environment reads from the world after a step.
typedef struct LunarLanderBodyState {
    /// The lander body's origin, in world units.
    float positionX;
    float positionY;
    /// The lander's linear velocity, in world units per second.
    float velocityX;
    float velocityY;
    /// The lander's angle (radians, counter-clockwise) and angular velocity (radians per second).
    float angle;
    float angularVelocity;
    /// Whether each leg touches the ground (Gymnasium's `legs[0/1].ground_contact`). The first leg is attached at
    /// +x (the right-hand side when the lander is upright), the second at −x. The flag is set by Box2D's BeginContact
    /// and cleared by EndContact, as in Gymnasium (a plain flag, not a contact count).
    bool firstLegContact;
    bool secondLegContact;
    /// Whether the lander body itself has touched the ground since the episode began (Gymnasium's `game_over`).
    bool landerBodyContact;
    /// Whether Box2D still simulates the lander (false once the lander's island has come to rest).
    bool landerAwake;
} LunarLanderBodyState;

/// Creates an empty handle; call `lunar_lander_physics_build_episode` before stepping. Never returns NULL.
LunarLanderPhysics *lunar_lander_physics_create(void);

/// Destroys the handle and its world. Accepts NULL.
void lunar_lander_physics_destroy(LunarLanderPhysics *physics);

/// Replaces the world by a fresh one (gravity −10) holding the terrain, the lander and its legs.
///
/// `terrainX`/`terrainY` are the `terrainPointCount` vertices of the ground polyline, joined by edges with friction
/// 0.1; a flat edge from (0, 0) to (`worldWidth`, 0) is added underneath. The lander starts at
/// (`startX`, `startY`) and receives the force (`initialForceX`, `initialForceY`) at its centre for the first step.
void lunar_lander_physics_build_episode(
    LunarLanderPhysics *physics, const double *terrainX, const double *terrainY, int terrainPointCount,
    double worldWidth, double startX, double startY, double initialForceX, double initialForceY);

/// Applies a linear impulse (`impulseX`, `impulseY`) to the lander at the world point (`pointX`, `pointY`), waking it.
void lunar_lander_physics_apply_impulse(
    LunarLanderPhysics *physics, double impulseX, double impulseY, double pointX, double pointY);

/// Advances the world by `timeStep` seconds with the given solver iteration counts.
void lunar_lander_physics_step(
    LunarLanderPhysics *physics, double timeStep, int velocityIterations, int positionIterations);

/// Reads the lander's state and the contact flags.
LunarLanderBodyState lunar_lander_physics_state(const LunarLanderPhysics *physics);

#ifdef __cplusplus
}
#endif

#endif
