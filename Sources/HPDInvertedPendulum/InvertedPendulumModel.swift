extension InvertedPendulum {
    /// The MuJoCo model (MJCF) of InvertedPendulum-v4, with the physical parameters of Gymnasium 1.0.0's
    /// `inverted_pendulum.xml`: a cart on a ±1 m slider with a hinged 0.6 m pole, no contacts, joint damping 1,
    /// one motor on the slider (gear 100, control limited to ±3), RK4 integration with a 0.02 s timestep.
    ///
    /// Geometry colours are left out: they only affect rendering. Masses and inertias come from the geoms at the
    /// default density (1000 kg/m³): the cart capsule weighs about 10.5 kg, the pole about 5.0 kg.
    public static let defaultModelXML = """
        <mujoco model="inverted_pendulum_v4">
          <compiler angle="degree" inertiafromgeom="true"/>
          <option timestep="0.02" integrator="RK4" gravity="0 0 -9.81"/>
          <size nstack="3000"/>
          <default>
            <joint limited="true" damping="1" armature="0"/>
            <geom contype="0" friction="1 0.1 0.1"/>
          </default>
          <worldbody>
            <geom name="rail" type="capsule" size="0.02 1" pos="0 0 0" quat="0.707 0 0.707 0"/>
            <body name="cart" pos="0 0 0">
              <joint name="slider" type="slide" axis="1 0 0" pos="0 0 0" range="-1 1"/>
              <geom name="cart" type="capsule" size="0.1 0.1" pos="0 0 0" quat="0.707 0 0.707 0"/>
              <body name="pole" pos="0 0 0">
                <joint name="hinge" type="hinge" axis="0 1 0" pos="0 0 0" range="-90 90"/>
                <geom name="pole" type="capsule" size="0.049 0.3" fromto="0 0 0 0.001 0 0.6"/>
              </body>
            </body>
          </worldbody>
          <actuator>
            <motor name="slide" joint="slider" gear="100" ctrllimited="true" ctrlrange="-3 3"/>
          </actuator>
        </mujoco>
        """
}
