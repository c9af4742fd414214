# The end users' instances of an integration, e.g. to report how many customers use it.
data "appmixer_integration_instances" "welcome" {
  integration_id = appmixer_integration.welcome.id
}

output "customers_using_welcome" {
  value = distinct([for i in data.appmixer_integration_instances.welcome.instances : i.user_id])
}
