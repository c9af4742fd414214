# The identity is the draft's flowId (appmixer_integrations lists the ids).
import {
  to = appmixer_integration.welcome
  identity = {
    id = "6f1c2a70-0001-4c1e-9a51-5d2f00000001"
  }
}
