# Destroying the example deletes the published integration, with any customer instances.
force_destroy = true
