# Pass the password in an ephemeral variable (Terraform 1.10+) so it reaches neither the plan nor the state.
variable "ann_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "appmixer_user" "ann" {
  username            = "ann@example.com"
  password_wo         = var.ann_password
  password_wo_version = 1
}

# A workspace whose members share its flows, stores and files. Leave members out to manage the
# name only.
resource "appmixer_user_group" "support" {
  name    = "Support"
  members = [appmixer_user.ann.id]
}
