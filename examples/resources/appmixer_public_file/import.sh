# By file name. The content is not read back: the configuration needs `source`, and the next apply
# uploads the local file.
terraform import appmixer_public_file.logo logo.svg
