# The users whose username or e-mail address contains "@acme.example".
list "appmixer_user" "acme" {
  provider         = appmixer
  include_resource = true
  config {
    pattern = "@acme.example"
  }
}
