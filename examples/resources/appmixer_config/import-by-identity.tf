# The identity is the key. An import by identity reads no value, since an identity cannot say whether
# the key holds a secret: the plan sends the configured value (or value_wo) once. To read a setting's
# value into the state, import it with id = "<key>" instead.
import {
  to = appmixer_config.jwt_secret
  identity = {
    key = "JWTSecret"
  }
}
