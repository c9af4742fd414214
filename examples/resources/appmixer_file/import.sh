# A file is imported by its fileId. Without source in the configuration, the file is kept as it is.
terraform import appmixer_file.rates 3f1c2a9e-5b7d-4c1e-9a0b-2d4e6f8a0c1e
