# The whole modifiers document. Start from what the tenant has (`appmixer modifiers get` writes
# modifiers.json) and add yours; destroy puts back the document Terraform took over.
resource "appmixer_modifiers" "tenant" {
  document = file("${path.module}/modifiers.json")
}
