# A user group is imported by its id.
terraform import appmixer_user_group.support 6a1b2c3d4e5f6a7b8c9d0e1f
