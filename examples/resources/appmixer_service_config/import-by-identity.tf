# The identity is the service id, vendor:service. Secret-looking keys stay out of the state, as with an
# import by id: with secret_values_wo configured, the plan sends the secrets once.
import {
  to = appmixer_service_config.slack
  identity = {
    service_id = "appmixer:slack"
  }
}
