// The Box2D 2.4 world of Gymnasium's LunarLander-v3 (gymnasium/envs/box2d/lunar_lander.py, version 1.0.0),
// behind the extern "C" interface of include/CBox2D.h.
//
// Geometry is Gymnasium's, in pixels divided by SCALE = 30. Gymnasium builds a brand-new b2World on every reset
// (its fix for non-deterministic episodes, Gymnasium issue #728); so does `lunar_lander_physics_build_episode`.

#include "CBox2D.h"

#include <box2d/box2d.h>

#include <memory>

namespace {

constexpr double scale = 30.0;
constexpr double gravity = -10.0;

// The lander hull, in pixels (Gymnasium's LANDER_POLY).
constexpr double landerPolygon[6][2] = {{-14, +17}, {-17, 0}, {-17, -10}, {+17, -10}, {+17, 0}, {+14, +17}};
constexpr double legAway = 20;          // LEG_AWAY: horizontal offset of a leg's joint anchor, pixels
constexpr double legDown = 18;          // LEG_DOWN: vertical offset of a leg's joint anchor, pixels
constexpr double legHalfWidth = 2;      // LEG_W (used as a half-extent, as Gymnasium does)
constexpr double legHalfHeight = 8;     // LEG_H
constexpr double legSpringTorque = 40;  // LEG_SPRING_TORQUE: the joint motor's maximum torque

// Collision filtering: the ground keeps Box2D's default category 0x0001; lander and legs collide with it only.
constexpr uint16 groundCategory = 0x0001;
constexpr uint16 landerCategory = 0x0010;
constexpr uint16 legCategory = 0x0020;

b2Vec2 vector(double x, double y) { return b2Vec2(static_cast<float>(x), static_cast<float>(y)); }

// Gymnasium's ContactDetector: the lander body touching anything ends the game; legs flag their ground contact.
class LunarLanderContactListener final : public b2ContactListener {
public:
    b2Body *lander = nullptr;
    b2Body *legs[2] = {nullptr, nullptr};
    bool landerBodyContact = false;
    bool legContact[2] = {false, false};

    void reset(b2Body *newLander, b2Body *firstLeg, b2Body *secondLeg) {
        lander = newLander;
        legs[0] = firstLeg;
        legs[1] = secondLeg;
        landerBodyContact = false;
        legContact[0] = legContact[1] = false;
    }

    void BeginContact(b2Contact *contact) override {
        b2Body *bodyA = contact->GetFixtureA()->GetBody();
        b2Body *bodyB = contact->GetFixtureB()->GetBody();
        if (bodyA == lander || bodyB == lander) landerBodyContact = true;
        for (int index = 0; index < 2; ++index) {
            if (bodyA == legs[index] || bodyB == legs[index]) legContact[index] = true;
        }
    }

    void EndContact(b2Contact *contact) override {
        b2Body *bodyA = contact->GetFixtureA()->GetBody();
        b2Body *bodyB = contact->GetFixtureB()->GetBody();
        for (int index = 0; index < 2; ++index) {
            if (bodyA == legs[index] || bodyB == legs[index]) legContact[index] = false;
        }
    }
};

void createTerrain(b2World &world, const double *terrainX, const double *terrainY, int pointCount,
                   double worldWidth) {
    b2BodyDef groundDefinition;  // static by default
    b2Body *ground = world.CreateBody(&groundDefinition);

    // Gymnasium's `CreateStaticBody(shapes=edgeShape(...))`: a flat floor with the default fixture (friction 0.2).
    b2EdgeShape floor;
    floor.SetTwoSided(vector(0, 0), vector(worldWidth, 0));
    ground->CreateFixture(&floor, 0.0f);

    for (int index = 0; index + 1 < pointCount; ++index) {
        b2EdgeShape edge;
        edge.SetTwoSided(vector(terrainX[index], terrainY[index]), vector(terrainX[index + 1], terrainY[index + 1]));
        b2FixtureDef fixture;
        fixture.shape = &edge;
        fixture.density = 0.0f;
        fixture.friction = 0.1f;
        ground->CreateFixture(&fixture);
    }
}

b2Body *createLander(b2World &world, double startX, double startY) {
    b2BodyDef bodyDefinition;
    bodyDefinition.type = b2_dynamicBody;
    bodyDefinition.position = vector(startX, startY);
    bodyDefinition.angle = 0.0f;
    b2Body *lander = world.CreateBody(&bodyDefinition);

    b2Vec2 vertices[6];
    for (int index = 0; index < 6; ++index) {
        vertices[index] = vector(landerPolygon[index][0] / scale, landerPolygon[index][1] / scale);
    }
    b2PolygonShape hull;
    hull.Set(vertices, 6);

    b2FixtureDef fixture;
    fixture.shape = &hull;
    fixture.density = 5.0f;
    fixture.friction = 0.1f;
    fixture.restitution = 0.0f;
    fixture.filter.categoryBits = landerCategory;
    fixture.filter.maskBits = groundCategory;
    lander->CreateFixture(&fixture);
    return lander;
}

// `side` is Gymnasium's loop variable i: −1 builds legs[0] (at +x), +1 builds legs[1] (at −x).
b2Body *createLeg(b2World &world, b2Body *lander, double startX, double startY, double side) {
    b2BodyDef bodyDefinition;
    bodyDefinition.type = b2_dynamicBody;
    bodyDefinition.position = vector(startX - side * legAway / scale, startY);
    bodyDefinition.angle = static_cast<float>(side * 0.05);
    b2Body *leg = world.CreateBody(&bodyDefinition);

    b2PolygonShape box;
    box.SetAsBox(static_cast<float>(legHalfWidth / scale), static_cast<float>(legHalfHeight / scale));
    b2FixtureDef fixture;
    fixture.shape = &box;
    fixture.density = 1.0f;
    fixture.restitution = 0.0f;
    fixture.filter.categoryBits = legCategory;
    fixture.filter.maskBits = groundCategory;
    leg->CreateFixture(&fixture);

    // A motorised, limited revolute joint acting as the leg's spring. The reference angle stays 0 (as in Gymnasium,
    // which sets no reference angle), so the legs start slightly outside their limits and settle in the first steps.
    b2RevoluteJointDef joint;
    joint.bodyA = lander;
    joint.bodyB = leg;
    joint.localAnchorA = vector(0, 0);
    joint.localAnchorB = vector(side * legAway / scale, legDown / scale);
    joint.enableMotor = true;
    joint.enableLimit = true;
    joint.maxMotorTorque = static_cast<float>(legSpringTorque);
    joint.motorSpeed = static_cast<float>(0.3 * side);  // low enough not to jump back into the sky
    if (side < 0) {
        joint.lowerAngle = static_cast<float>(0.9 - 0.5);
        joint.upperAngle = 0.9f;
    } else {
        joint.lowerAngle = -0.9f;
        joint.upperAngle = static_cast<float>(-0.9 + 0.5);
    }
    world.CreateJoint(&joint);
    return leg;
}

}  // namespace

// The listener is declared first so that it outlives the world (members are destroyed in reverse order).
struct LunarLanderPhysics {
    LunarLanderContactListener contactListener;
    std::unique_ptr<b2World> world;
    b2Body *lander = nullptr;
};

extern "C" {

LunarLanderPhysics *lunar_lander_physics_create(void) { return new LunarLanderPhysics(); }

void lunar_lander_physics_destroy(LunarLanderPhysics *physics) { delete physics; }

void lunar_lander_physics_build_episode(LunarLanderPhysics *physics, const double *terrainX, const double *terrainY,
                                        int terrainPointCount, double worldWidth, double startX, double startY,
                                        double initialForceX, double initialForceY) {
    physics->world.reset();  // deleting a b2World frees every body, fixture, joint and contact it holds
    physics->world = std::make_unique<b2World>(vector(0, gravity));
    b2World &world = *physics->world;
    world.SetContactListener(&physics->contactListener);

    createTerrain(world, terrainX, terrainY, terrainPointCount, worldWidth);
    b2Body *lander = createLander(world, startX, startY);
    lander->ApplyForceToCenter(vector(initialForceX, initialForceY), true);
    b2Body *firstLeg = createLeg(world, lander, startX, startY, -1.0);
    b2Body *secondLeg = createLeg(world, lander, startX, startY, +1.0);

    physics->lander = lander;
    physics->contactListener.reset(lander, firstLeg, secondLeg);
}

void lunar_lander_physics_apply_impulse(LunarLanderPhysics *physics, double impulseX, double impulseY, double pointX,
                                        double pointY) {
    physics->lander->ApplyLinearImpulse(vector(impulseX, impulseY), vector(pointX, pointY), true);
}

void lunar_lander_physics_step(LunarLanderPhysics *physics, double timeStep, int velocityIterations,
                               int positionIterations) {
    physics->world->Step(static_cast<float>(timeStep), velocityIterations, positionIterations);
}

LunarLanderBodyState lunar_lander_physics_state(const LunarLanderPhysics *physics) {
    const b2Body *lander = physics->lander;
    const LunarLanderContactListener &contacts = physics->contactListener;
    LunarLanderBodyState state;
    state.positionX = lander->GetPosition().x;
    state.positionY = lander->GetPosition().y;
    state.velocityX = lander->GetLinearVelocity().x;
    state.velocityY = lander->GetLinearVelocity().y;
    state.angle = lander->GetAngle();
    state.angularVelocity = lander->GetAngularVelocity();
    state.firstLegContact = contacts.legContact[0];
    state.secondLegContact = contacts.legContact[1];
    state.landerBodyContact = contacts.landerBodyContact;
    state.landerAwake = lander->IsAwake();
    return state;
}

}  // extern "C"
