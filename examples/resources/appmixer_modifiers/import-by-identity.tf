# A tenant has one document; its identity is always id = "modifiers".
import {
  to = appmixer_modifiers.tenant
  identity = {
    id = "modifiers"
  }
}
