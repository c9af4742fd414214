# The identity is the group id.
import {
  to = appmixer_user_group.support
  identity = {
    id = "6a1b2c3d4e5f6a7b8c9d0e1f"
  }
}
