# A service configuration is imported by its service id. Keys whose names look secret (clientSecret,
# apiKey, ...) stay out of the state; the first plan with secret_values_wo sends them once.
terraform import appmixer_service_config.slack appmixer:slack
