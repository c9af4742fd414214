# The identity is the selector: a service, a module or a single component. The source is not on the
# server: the plan re-publishes from the source_dir or source_zip in the configuration.
import {
  to = appmixer_component.weather
  identity = {
    name = "acme.weather"
  }
}
