# Every user group, with its members.
list "appmixer_user_group" "all" {
  provider         = appmixer
  include_resource = true
}
