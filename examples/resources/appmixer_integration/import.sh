# An integration is imported by its draft's flowId. instance_update, in_progress_data and
# force_destroy take their defaults.
terraform import appmixer_integration.welcome 6f1c2a70-0001-4c1e-9a51-5d2f00000001
