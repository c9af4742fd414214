# The tenant and the credentials from the environment, as CI passes them from its secret store;
# the provider block can then be empty: provider "appmixer" {}
export APPMIXER_TENANT=acme # or APPMIXER_BASE_URL=https://appmixer.example.com/api
export APPMIXER_USERNAME=ops@example.com
export APPMIXER_PASSWORD="$CI_APPMIXER_PASSWORD" # or APPMIXER_TOKEN, an access token
terraform plan
