# The identity is the ACL type: components or routes.
import {
  to = appmixer_acl.components
  identity = {
    type = "components"
  }
}
