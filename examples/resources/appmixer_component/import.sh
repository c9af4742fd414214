# By selector: a service, a module or a single component. The source is not imported:
# the next apply re-publishes from the source_dir or source_zip in the configuration.
terraform import appmixer_component.weather acme.weather
