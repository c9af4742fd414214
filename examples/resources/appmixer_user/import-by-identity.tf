# The identity is the user id (an import by id also takes username:<name>). The password is not read
# back: with password_wo configured, the plan sends it once.
import {
  to = appmixer_user.ops
  identity = {
    id = "5c88a1f0e4b0a2c3d4e5f601"
  }
}
