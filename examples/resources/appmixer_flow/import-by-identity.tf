# The identity is the flowId, as shown in the designer's URL.
import {
  to = appmixer_flow.welcome
  identity = {
    id = "9089f275-1b2c-4d3e-8f90-a1b2c3d4e5f6"
  }
}
