output "dev_flows" {
  description = "Flow ids on the dev tenant, by flow key."
  value       = module.dev.flow_ids
}

output "prod_flows" {
  description = "Flow ids on the prod tenant, by flow key."
  value       = module.prod.flow_ids
}

output "prod_bindings" {
  description = "Account bound to each component on prod, by flow key: prod's own account ids."
  value       = module.prod.bindings
}
