# A flow is imported by its flowId, as shown in the designer's URL.
terraform import appmixer_flow.welcome 9089f275-1b2c-4d3e-8f90-a1b2c3d4e5f6
